/** Expiry policies turned into expiry times. Internal. */
package dev.weakalloc.jcache.expiry;
