package dev.weakalloc.jcache.processor;

/** What an entry processor did to its entry, decided after it returns. */
public enum Action {
  /** Nothing, not even a read. */
  NONE,
  /** Read an existing value. */
  READ,
  /** Loaded a value through the cache loader. */
  LOADED,
  /** Set a value where there was none. */
  CREATED,
  /** Replaced an existing value. */
  UPDATED,
  /** Removed the existing value. */
  DELETED
}
