/** Cache entry events and their delivery to listeners, synchronous or in order on an executor. Internal. */
package dev.weakalloc.jcache.event;
