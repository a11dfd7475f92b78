/** Programmatic ({@link dev.weakalloc.jcache.configuration.WeakAllocConfiguration}) and declarative configuration. */
package dev.weakalloc.jcache.configuration;
