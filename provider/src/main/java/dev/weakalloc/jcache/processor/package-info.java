/** The mutable entry entry processors work on. Internal. */
package dev.weakalloc.jcache.processor;
