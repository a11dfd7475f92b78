package dev.weakalloc.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says that a field is read and written, or a method called, only while the named lock is held,
 * after the annotation of that name in <i>Java Concurrency in Practice</i> and Error Prone. A field
 * that some path also reads without the lock says so, and why that race is benign, where it is
 * declared.
 *
 * <p>Documentation, checked by review: nothing enforces it (the allocator depends on the JDK only,
 * so no checker runs), and it is not kept in the class files.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface GuardedBy {
  /** {@return the lock that guards the element: {@code "WeakAlloc.lock"}, the allocator's lock} */
  String value();
}
