package dev.weakalloc.jcache.configuration;

import dev.weakalloc.Admission;
import dev.weakalloc.Codec;
import dev.weakalloc.Codecs;
import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.net.URI;
import java.net.URL;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.cache.CacheException;
import javax.cache.configuration.Factory;
import javax.cache.expiry.AccessedExpiryPolicy;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;
import javax.cache.expiry.TouchedExpiryPolicy;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/**
 * A cache manager's configuration file: a {@link Properties} file named by the manager's URI.
 *
 * <pre>{@code
 * # The region shared by the manager's caches: bytes, with an optional unit
 * # (B, KiB, MiB, GiB, TiB; k, m, g, t are the same binary units), or a percentage
 * # of the memory the process may use. Default: 25%.
 * weakalloc.region.capacity=256MiB
 * # none (default: pure LRU), or tinylfu: when room must be made, a value whose
 * # key was seen less often than the values it would evict is not stored
 * weakalloc.region.admission=none
 *
 * # Caches created when the manager starts: weakalloc.cache.<name>.<key>, where
 * # <name> may contain dots. A # starts a comment only at the start of a line.
 * # keyType and valueType: default java.lang.Object
 * weakalloc.cache.tiles.keyType=java.lang.String
 * weakalloc.cache.tiles.valueType=byte[]
 * # eternal (default), created:, accessed:, modified:, touched: + a duration
 * # (ms, s, m, h, d), or class:<an ExpiryPolicy class>
 * weakalloc.cache.tiles.expiry=created:10m
 * # statistics and management: default false
 * weakalloc.cache.tiles.statistics=true
 * weakalloc.cache.tiles.management=true
 * # default true; false is unsupported
 * weakalloc.cache.tiles.storeByValue=true
 * # bytes, string, serializable, or the class of a Codec with a no-argument
 * # constructor; default: chosen from valueType
 * weakalloc.cache.tiles.codec=bytes
 * # shared (default), or a capacity for a region of the cache's own
 * weakalloc.cache.tiles.region=shared
 * # the admission policy of a region of the cache's own: none (default) or tinylfu
 * weakalloc.cache.reports.region=32MiB
 * weakalloc.cache.reports.admission=tinylfu
 * # a CacheLoader class, which turns on read-through; a CacheWriter class,
 * # which turns on write-through
 * weakalloc.cache.com.example.Entity.loader=com.example.EntityLoader
 * weakalloc.cache.com.example.Entity.writer=com.example.EntityWriter
 * # a near cache in front of a cache of another JCache provider: its class,
 * # its CacheManager URI (default: that provider's default URI) and the cache's
 * # name; backingProperties are given to its getCacheManager, as name=value
 * # pairs separated by commas; maxStaleness bounds how long a near copy is
 * # served after it was read (default 30s; eternal trusts the events alone)
 * weakalloc.cache.quotes.backingProvider=dev.weakalloc.jcache.spi.WeakAllocCachingProvider
 * weakalloc.cache.quotes.backingUri=urn:example:backing
 * weakalloc.cache.quotes.backingCache=quotes
 * weakalloc.cache.quotes.backingProperties=weakalloc.region.capacity=1MiB
 * weakalloc.cache.quotes.maxStaleness=5s
 * }</pre>
 *
 * <p>Every cache of the manager may be made a near cache at once (each cache that names no
 * backing cache of its own): {@code weakalloc.near.backing.provider} names the engine's {@code
 * CachingProvider} class, {@code weakalloc.near.backing.uri} its {@code CacheManager} URI,
 * {@code weakalloc.near.backing.properties} the properties given to its {@code getCacheManager}
 * (name=value pairs separated by commas), and {@code weakalloc.near.maxStaleness} the caches'
 * maximum staleness. The backing cache has the cache's name on the engine and is created there
 * with the cache's JCache configuration (loader, writer, read- and write-through, expiry,
 * statistics; the listeners are registered on it); see {@link NearBacking}. These keys may also be
 * JVM system properties: they then apply to every manager of the provider whose file and
 * properties set none of them, and must name another provider than this one (its backing managers
 * would take them too, and recurse). provider/README.md has an example.
 *
 * <p>The same keys may be given as the {@code Properties} of {@code
 * CachingProvider.getCacheManager(uri, classLoader, properties)}; they override the file's, and
 * configure the manager on their own when the URI names no file.
 *
 * <p>A key that starts with {@code weakalloc.} and is not one of these, or a value that does not
 * parse, fails the manager's creation with a {@link CacheException} naming the key, the value and
 * where it came from (the file, or the manager's properties). Other keys are ignored.
 *
 * <p>Where the file comes from: {@code classpath:path} (or a URI with no scheme that names an
 * existing resource) through the manager's class loader; {@code file:}, {@code jar:} and other URL
 * schemes through {@link URL#openStream()}. A URI with no scheme that ends in {@code .properties}
 * and names no resource is read as a file path, and fails the manager's creation if there is no
 * such file. Any other URI with no scheme that names no resource, or with a scheme that is not a
 * URL scheme, configures nothing.
 *
 * <p>Thread safety: immutable once loaded.
 */
public final class DeclarativeConfiguration {
  /** The prefix of every key this file format defines. */
  public static final String PREFIX = "weakalloc.";

  private static final String REGION_CAPACITY = "weakalloc.region.capacity";
  private static final String REGION_ADMISSION = "weakalloc.region.admission";
  private static final String CACHE_PREFIX = "weakalloc.cache.";
  /** The prefix of the manager-wide near cache keys. */
  public static final String NEAR_PREFIX = "weakalloc.near.";
  private static final String NEAR_PROVIDER = "weakalloc.near.backing.provider";
  private static final String NEAR_URI = "weakalloc.near.backing.uri";
  private static final String NEAR_PROPERTIES = "weakalloc.near.backing.properties";
  private static final String NEAR_STALENESS = "weakalloc.near.maxStaleness";

  private static final DeclarativeConfiguration EMPTY =
      new DeclarativeConfiguration(OptionalLong.empty(), Admission.NONE, Map.of(), null);

  private final OptionalLong regionCapacity;
  private final Admission regionAdmission;
  private final Map<String, WeakAllocConfiguration<Object, Object>> caches;
  private final NearBacking nearBacking;

  private DeclarativeConfiguration(
      OptionalLong regionCapacity,
      Admission regionAdmission,
      Map<String, WeakAllocConfiguration<Object, Object>> caches,
      NearBacking nearBacking) {
    this.regionCapacity = regionCapacity;
    this.regionAdmission = regionAdmission;
    this.caches = Collections.unmodifiableMap(caches);
    this.nearBacking = nearBacking;
  }

  /**
   * The manager-wide near cache switch ({@code weakalloc.near.*}): every cache the manager creates
   * that names no backing cache of its own fronts a cache of the same name of {@code provider},
   * created there with the cache's JCache configuration.
   *
   * <p>Thread safety: immutable ({@link #properties()} returns a copy).
   *
   * @param provider the backing {@code CachingProvider}'s class name
   * @param uri the backing manager's URI for every manager, or null: the engine's default URI for
   *     this provider's default manager, and one of its own for every other ({@link #uriFor})
   * @param properties the properties given to the engine's {@code getCacheManager}
   * @param maxStaleness how long a near copy may be served after it was read
   */
  public record NearBacking(String provider, URI uri, Properties properties, Duration maxStaleness) {
    /** Copies the properties. */
    public NearBacking {
      Properties copy = new Properties();
      copy.putAll(properties);
      properties = copy;
    }

    @Override
    public Properties properties() {
      Properties copy = new Properties();
      copy.putAll(properties);
      return copy;
    }

    /**
     * {@return the backing manager's URI for a manager of {@code managerUri}} The configured URI
     * if there is one, for every manager. Otherwise the engine's default ({@code engineDefault})
     * for this provider's default manager ({@code providerDefault}), and for any other that URI
     * followed by {@code /} and the manager's URI, URL-encoded: managers of two URIs do not share
     * backing caches, as they share no caches in JCache.
     */
    public URI uriFor(URI managerUri, URI providerDefault, URI engineDefault) {
      if (uri != null) {
        return uri;
      }
      if (managerUri.equals(providerDefault)) {
        return engineDefault;
      }
      return URI.create(engineDefault + "/"
          + java.net.URLEncoder.encode(managerUri.toString(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** {@return the manager-wide near cache switch, if the {@code weakalloc.near.} keys set one} */
  public java.util.Optional<NearBacking> nearBacking() {
    return java.util.Optional.ofNullable(nearBacking);
  }

  /** {@return the admission policy of the shared region; {@link Admission#NONE} by default} */
  public Admission regionAdmission() {
    return regionAdmission;
  }

  /** {@return the configured capacity of the shared region, if any} */
  public OptionalLong regionCapacity() {
    return regionCapacity;
  }

  /** {@return the declared caches by name, in name order} */
  public Map<String, WeakAllocConfiguration<Object, Object>> caches() {
    return caches;
  }

  /**
   * Loads the configuration a manager URI names.
   *
   * @throws CacheException if the URI names a file that cannot be read, or is invalid
   */
  public static DeclarativeConfiguration load(URI uri, ClassLoader classLoader) {
    return load(uri, classLoader, new Properties());
  }

  /**
   * Loads the configuration a manager URI names, with the {@code weakalloc.} keys of {@code
   * overrides} (the manager's properties) taking precedence over the file's. The other keys of
   * {@code overrides} are ignored, as in the file.
   *
   * @param overrides the properties given to {@code getCacheManager}; may be empty, and may be the
   *     whole configuration when the URI names no file
   * @throws CacheException if the URI names a file that cannot be read, or a key of the file or
   *     of {@code overrides} is invalid; the message names the key, its value and where it came
   *     from
   */
  public static DeclarativeConfiguration load(
      URI uri, ClassLoader classLoader, Properties overrides) {
    URL url = locate(uri, classLoader);
    Properties properties = new Properties();
    if (url != null) {
      try (InputStream in = url.openStream()) {
        properties.load(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new CacheException("cannot read the cache configuration " + uri + ": " + e, e);
      }
    }
    Set<String> overridden = new HashSet<>();
    for (String key : overrides.stringPropertyNames()) {
      if (key.startsWith(PREFIX)) {
        properties.setProperty(key, overrides.getProperty(key));
        overridden.add(key);
      }
    }
    Set<String> fromSystem = new HashSet<>();
    if (properties.stringPropertyNames().stream().noneMatch(k -> k.startsWith(NEAR_PREFIX))) {
      Properties system = System.getProperties();
      for (String key : system.stringPropertyNames()) {
        if (key.startsWith(NEAR_PREFIX)) {
          properties.setProperty(key, system.getProperty(key));
          fromSystem.add(key);
        }
      }
    }
    if (properties.isEmpty()) {
      return EMPTY;
    }
    String file = url == null ? null : uri.toString();
    Function<String, String> sourceOf = key -> fromSystem.contains(key)
        ? "the system properties"
        : overridden.contains(key) || file == null
            ? "the CacheManager properties of " + uri
            : file;
    DeclarativeConfiguration parsed = parse(properties, classLoader, sourceOf);
    if (fromSystem.contains(NEAR_PROVIDER)) {
      checkNotThisProvider(parsed.nearBacking, classLoader, sourceOf);
    }
    return parsed;
  }

  /**
   * Fails if the switch of the system properties names this provider as the engine: the backing
   * managers are this provider's too and take the same system properties, so every backing cache
   * would be a near cache of a further one, without end.
   */
  private static void checkNotThisProvider(
      NearBacking near, ClassLoader classLoader, Function<String, String> sourceOf) {
    Class<?> named = loadClass(near.provider(), classLoader);
    // By name too: loaded by another class loader, it is still this provider, reading the same
    // system properties.
    if (WeakAllocCachingProvider.class.isAssignableFrom(named)
        || named.getName().equals(WeakAllocCachingProvider.class.getName())) {
      throw invalid(sourceOf, NEAR_PROVIDER, near.provider(), "names this provider itself. As JVM"
          + " system properties the weakalloc.near. keys apply to every manager of this provider,"
          + " the backing managers of the near caches too, so each backing cache would be a near"
          + " cache of yet another one, without end. Give the keys as the properties (or file) of"
          + " the managers that are to be near caches, or name another provider");
    }
  }

  private static URL locate(URI uri, ClassLoader classLoader) {
    String scheme = uri.getScheme();
    if (scheme == null) {
      String path = uri.toString();
      URL resource = classLoader.getResource(path.startsWith("/") ? path.substring(1) : path);
      if (resource != null || !path.endsWith(".properties")) {
        return resource;
      }
      java.nio.file.Path file = java.nio.file.Path.of(path);
      if (java.nio.file.Files.isRegularFile(file)) {
        return toUrl(file.toUri());
      }
      throw new CacheException("the cache manager URI " + uri + " names a properties file, but"
          + " there is no such classpath resource nor file (write classpath:" + path + " or file:"
          + path + " to say which)");
    }
    if (scheme.equals("classpath")) {
      String path = uri.getSchemeSpecificPart();
      path = path.startsWith("/") ? path.substring(1) : path;
      URL url = classLoader.getResource(path);
      if (url == null) {
        throw new CacheException("no classpath resource " + path + " for the cache manager " + uri);
      }
      return url;
    }
    return toUrl(uri);
  }

  private static URL toUrl(URI uri) {
    try {
      return uri.toURL();
    } catch (IllegalArgumentException | java.net.MalformedURLException e) {
      return null; // not a URL: a name, like the provider's default URI
    }
  }

  /**
   * Parses configuration properties.
   *
   * @param source where they came from, for error messages
   * @throws CacheException naming the key and value of the first invalid entry
   */
  public static DeclarativeConfiguration parse(
      Properties properties, ClassLoader classLoader, String source) {
    return parse(properties, classLoader, key -> source);
  }

  private static DeclarativeConfiguration parse(
      Properties properties, ClassLoader classLoader, Function<String, String> sourceOf) {
    OptionalLong capacity = OptionalLong.empty();
    Admission admission = Admission.NONE;
    Map<String, WeakAllocConfiguration<Object, Object>> caches = new LinkedHashMap<>();
    for (String key : new TreeSet<>(properties.stringPropertyNames())) {
      if (!key.startsWith(PREFIX) || key.startsWith(NEAR_PREFIX)) {
        continue;
      }
      String value = properties.getProperty(key).trim();
      try {
        if (key.equals(REGION_CAPACITY)) {
          capacity = OptionalLong.of(parseRegionCapacity(value));
        } else if (key.equals(REGION_ADMISSION)) {
          admission = Admission.parse(value);
        } else if (key.startsWith(CACHE_PREFIX) && key.lastIndexOf('.') > CACHE_PREFIX.length()) {
          int dot = key.lastIndexOf('.');
          String name = key.substring(CACHE_PREFIX.length(), dot);
          var config = caches.computeIfAbsent(name, n -> new WeakAllocConfiguration<>());
          applyCacheProperty(config, key.substring(dot + 1), value, classLoader);
        } else {
          throw new IllegalArgumentException("unknown key");
        }
      } catch (RuntimeException e) {
        throw new CacheException(
            "invalid cache configuration in " + sourceOf.apply(key) + ": " + key + "=" + value + ": "
                + e.getMessage(),
            e);
      }
    }
    for (var cache : caches.entrySet()) {
      checkCodecFitsValueType(cache.getKey(), cache.getValue(), properties, sourceOf);
      checkAdmissionHasOwnRegion(cache.getKey(), cache.getValue(), properties, sourceOf);
      applyBacking(cache.getKey(), cache.getValue(), properties, classLoader, sourceOf);
    }
    return new DeclarativeConfiguration(
        capacity, admission, caches, parseNear(properties, classLoader, sourceOf));
  }

  /** {@return the {@code weakalloc.near.} keys' switch, or null if none is set} */
  private static NearBacking parseNear(
      Properties properties, ClassLoader classLoader, Function<String, String> sourceOf) {
    String provider = trimmed(properties, NEAR_PROVIDER);
    String key = NEAR_PROVIDER;
    try {
      for (String k : properties.stringPropertyNames()) {
        if (k.startsWith(NEAR_PREFIX)) {
          key = k;
          if (!Set.of(NEAR_PROVIDER, NEAR_URI, NEAR_PROPERTIES, NEAR_STALENESS).contains(k)) {
            throw new IllegalArgumentException("unknown key");
          }
          if (provider == null) {
            throw new IllegalArgumentException(NEAR_PROVIDER + " is needed too");
          }
        }
      }
      if (provider == null) {
        return null;
      }
      key = NEAR_PROVIDER;
      Class<?> c = loadClass(provider, classLoader);
      if (!javax.cache.spi.CachingProvider.class.isAssignableFrom(c)) {
        throw new IllegalArgumentException(provider + " is not a javax.cache.spi.CachingProvider");
      }
      key = NEAR_URI;
      String uri = trimmed(properties, key);
      key = NEAR_PROPERTIES;
      String pairs = trimmed(properties, key);
      key = NEAR_STALENESS;
      String staleness = trimmed(properties, key);
      Duration maxStaleness = staleness == null
          ? WeakAllocConfiguration.DEFAULT_MAX_STALENESS
          : parseDuration(staleness);
      new WeakAllocConfiguration<>().setMaxStaleness(maxStaleness); // checks it
      key = NEAR_URI;
      return new NearBacking(provider, uri == null ? null : new URI(uri),
          pairs == null ? new Properties() : parsePairs(pairs), maxStaleness);
    } catch (RuntimeException | java.net.URISyntaxException e) {
      throw invalid(sourceOf, key, trimmed(properties, key), e.getMessage());
    }
  }

  /** A built-in codec must be able to hold the declared value type: fails at start, not at a put. */
  private static void checkCodecFitsValueType(
      String name,
      WeakAllocConfiguration<Object, Object> config,
      Properties properties,
      Function<String, String> sourceOf) {
    String key = CACHE_PREFIX + name + ".codec";
    String codec = properties.getProperty(key);
    Class<?> valueType = config.getValueType();
    if (codec == null || valueType == Object.class) {
      return;
    }
    boolean fits = switch (codec.trim()) {
      case "bytes" -> valueType == byte[].class;
      case "string" -> valueType == String.class;
      case "serializable" -> valueType.isInterface() || Serializable.class.isAssignableFrom(valueType);
      default -> true; // a Codec class: its type argument is erased, so it cannot be checked here
    };
    if (!fits) {
      throw new CacheException("invalid cache configuration in " + sourceOf.apply(key) + ": " + key
          + "=" + codec.trim() + ": the " + codec.trim() + " codec cannot hold values of "
          + valueType.getTypeName() + " (" + CACHE_PREFIX + name + ".valueType)");
    }
  }

  /** A cache's admission is its own region's: fails at start if the cache shares the manager's. */
  private static void checkAdmissionHasOwnRegion(
      String name,
      WeakAllocConfiguration<Object, Object> config,
      Properties properties,
      Function<String, String> sourceOf) {
    if (config.getAdmission() == Admission.NONE || config.getOwnRegionCapacity() > 0) {
      return;
    }
    String key = CACHE_PREFIX + name + ".admission";
    throw new CacheException("invalid cache configuration in " + sourceOf.apply(key) + ": " + key
        + "=" + properties.getProperty(key).trim() + ": a cache's admission applies to a region of"
        + " its own (" + CACHE_PREFIX + name + ".region=<capacity>); the shared region's is "
        + REGION_ADMISSION);
  }

  /** The keys of a near cache, applied together once every key is read. */
  private static final Set<String> BACKING_KEYS =
      Set.of("backingProvider", "backingUri", "backingCache", "backingProperties", "maxStaleness");

  /**
   * Makes a cache a near cache if it has backing keys: backingProvider and backingCache are both
   * required, the provider class must load and be a CachingProvider, and the cache may not also
   * read or write through.
   */
  private static void applyBacking(
      String name,
      WeakAllocConfiguration<Object, Object> config,
      Properties properties,
      ClassLoader classLoader,
      Function<String, String> sourceOf) {
    String prefix = CACHE_PREFIX + name + ".";
    String provider = trimmed(properties, prefix + "backingProvider");
    String cache = trimmed(properties, prefix + "backingCache");
    if (provider == null && cache == null) {
      for (String key : BACKING_KEYS) {
        if (properties.getProperty(prefix + key) != null) {
          throw invalid(sourceOf, prefix + key, trimmed(properties, prefix + key),
              "names no backing cache: " + prefix + "backingProvider and " + prefix
                  + "backingCache are needed too");
        }
      }
      return;
    }
    String missing = provider == null ? "backingProvider" : cache == null ? "backingCache" : null;
    String present = provider == null ? "backingCache" : "backingProvider";
    if (missing != null) {
      throw invalid(sourceOf, prefix + present, trimmed(properties, prefix + present),
          prefix + missing + " is needed too");
    }
    String key = prefix + "backingProvider";
    try {
      Class<?> c = loadClass(provider, classLoader);
      if (!javax.cache.spi.CachingProvider.class.isAssignableFrom(c)) {
        throw new IllegalArgumentException(provider + " is not a javax.cache.spi.CachingProvider");
      }
      key = prefix + "backingUri";
      String uri = trimmed(properties, key);
      config.setBackingCache(provider, uri == null ? null : new URI(uri), cache);
      key = prefix + "backingProperties";
      String pairs = trimmed(properties, key);
      if (pairs != null) {
        config.setBackingProperties(parsePairs(pairs));
      }
      key = prefix + "maxStaleness";
      String staleness = trimmed(properties, key);
      if (staleness != null) {
        config.setMaxStaleness(parseDuration(staleness));
      }
      key = prefix + "loader";
      if (config.isReadThrough() || config.isWriteThrough()) {
        key = config.isReadThrough() ? prefix + "loader" : prefix + "writer";
        throw new IllegalArgumentException("a near cache does not read or write through itself:"
            + " configure the loader and writer on the backing cache " + cache);
      }
      key = prefix + "expiry";
      if (properties.getProperty(key) != null) {
        throw new IllegalArgumentException("a near cache's copies expire after its maxStaleness;"
            + " set the expiry of entries on the backing cache " + cache);
      }
    } catch (RuntimeException | java.net.URISyntaxException e) {
      throw invalid(sourceOf, key, trimmed(properties, key), e.getMessage());
    }
  }

  private static String trimmed(Properties properties, String key) {
    String value = properties.getProperty(key);
    return value == null ? null : value.trim();
  }

  private static CacheException invalid(
      Function<String, String> sourceOf, String key, String value, String why) {
    return new CacheException(
        "invalid cache configuration in " + sourceOf.apply(key) + ": " + key + "=" + value + ": " + why);
  }

  /** {@return the properties of {@code a=1,b=2}} */
  private static Properties parsePairs(String text) {
    Properties pairs = new Properties();
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected name=value pairs separated by commas");
      }
      pairs.setProperty(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return pairs;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void applyCacheProperty(
      WeakAllocConfiguration<Object, Object> config,
      String property,
      String value,
      ClassLoader classLoader) {
    switch (property) {
      case "keyType" ->
          ((WeakAllocConfiguration) config).setTypes(loadClass(value, classLoader), config.getValueType());
      case "valueType" ->
          ((WeakAllocConfiguration) config).setTypes(config.getKeyType(), loadClass(value, classLoader));
      case "expiry" -> config.setExpiryPolicyFactory(parseExpiry(value, classLoader));
      case "statistics" -> config.setStatisticsEnabled(parseBoolean(value));
      case "management" -> config.setManagementEnabled(parseBoolean(value));
      case "storeByValue" -> {
        if (!parseBoolean(value)) {
          throw new IllegalArgumentException("store-by-reference is not supported: values live off"
              + " the heap, in the region, and a reference would keep them on the heap as well");
        }
      }
      case "codec" -> config.setCodec((Codec<Object>) parseCodec(value, classLoader));
      case "admission" -> config.setAdmission(Admission.parse(value));
      case "region" ->
          config.setOwnRegion(value.equalsIgnoreCase("shared") ? 0 : parseRegionCapacity(value));
      case "loader" -> {
        config.setCacheLoaderFactory(
            (Factory<CacheLoader<Object, Object>>) (Factory) factoryOf(value, CacheLoader.class, classLoader));
        config.setReadThrough(true);
      }
      case "writer" -> {
        config.setCacheWriterFactory((Factory) factoryOf(value, CacheWriter.class, classLoader));
        config.setWriteThrough(true);
      }
      default -> {
        if (!BACKING_KEYS.contains(property)) { // applied by applyBacking, all together
          throw new IllegalArgumentException("unknown cache property " + property);
        }
      }
    }
  }

  /** The smallest region: one chunk of 64 KiB. */
  static final long MIN_REGION_CAPACITY = 64 << 10;

  /** {@return a region's capacity: a {@linkplain #parseCapacity capacity} of at least 64 KiB} */
  static long parseRegionCapacity(String text) {
    long capacity = parseCapacity(text);
    if (capacity < MIN_REGION_CAPACITY) {
      throw new IllegalArgumentException(
          "a region needs at least " + MIN_REGION_CAPACITY + " bytes (64 KiB), was " + capacity);
    }
    return capacity;
  }

  /** {@return a byte count: plain bytes, with a binary unit, or a percentage of available memory} */
  public static long parseCapacity(String text) {
    String value = text.trim();
    if (value.endsWith("%")) {
      double percent = Double.parseDouble(value.substring(0, value.length() - 1).trim());
      if (!(percent > 0 && percent < 100)) {
        throw new IllegalArgumentException("a percentage must be between 0 and 100, exclusive");
      }
      return MemoryBudget.percentOfAvailable(percent);
    }
    int end = 0;
    while (end < value.length() && (Character.isDigit(value.charAt(end)) || value.charAt(end) == '_')) {
      end++;
    }
    if (end == 0) {
      throw new IllegalArgumentException("expected a number of bytes, like 256MiB");
    }
    long number = Long.parseLong(value.substring(0, end).replace("_", ""));
    String unit = value.substring(end).trim().toLowerCase(Locale.ROOT);
    int shift = switch (unit) {
      case "", "b" -> 0;
      case "k", "kb", "kib" -> 10;
      case "m", "mb", "mib" -> 20;
      case "g", "gb", "gib" -> 30;
      case "t", "tb", "tib" -> 40;
      default -> throw new IllegalArgumentException("unknown unit " + unit);
    };
    if (number <= 0 || Long.numberOfLeadingZeros(number) <= shift) {
      throw new IllegalArgumentException("capacity must be positive and below 2^63 bytes");
    }
    return number << shift;
  }

  /** {@return a duration like {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}} */
  public static Duration parseDuration(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("eternal")) {
      return Duration.ETERNAL;
    }
    int end = 0;
    while (end < value.length() && Character.isDigit(value.charAt(end))) {
      end++;
    }
    if (end == 0) {
      throw new IllegalArgumentException("expected a duration, like 10m");
    }
    long amount = Long.parseLong(value.substring(0, end));
    TimeUnit unit = switch (value.substring(end).trim()) {
      case "ms" -> TimeUnit.MILLISECONDS;
      case "s" -> TimeUnit.SECONDS;
      case "m", "min" -> TimeUnit.MINUTES;
      case "h" -> TimeUnit.HOURS;
      case "d" -> TimeUnit.DAYS;
      default -> throw new IllegalArgumentException("expected a unit: ms, s, m, h or d");
    };
    return amount == 0 ? Duration.ZERO : new Duration(unit, amount);
  }

  /**
   * {@return the expiry policy factory of a value like {@code created:10m}} A {@code class:} policy
   * is loaded through the thread's context class loader.
   */
  public static Factory<? extends ExpiryPolicy> parseExpiry(String text) {
    return parseExpiry(text, Thread.currentThread().getContextClassLoader());
  }

  /**
   * {@return the expiry policy factory of a value like {@code created:10m}} A {@code class:} policy
   * must be an {@link ExpiryPolicy} with a public no-argument constructor, found by {@code
   * classLoader}, which also makes its instances.
   */
  static Factory<? extends ExpiryPolicy> parseExpiry(String text, ClassLoader classLoader) {
    String value = text.trim();
    if (value.equalsIgnoreCase("eternal")) {
      return EternalExpiryPolicy.factoryOf();
    }
    int colon = value.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "expected eternal, created:, accessed:, modified:, touched: or class:");
    }
    String kind = value.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String rest = value.substring(colon + 1).trim();
    if (kind.equals("class")) {
      return factoryOf(rest, ExpiryPolicy.class, classLoader);
    }
    Duration duration = parseDuration(rest);
    return switch (kind) {
      case "created" -> CreatedExpiryPolicy.factoryOf(duration);
      case "accessed" -> AccessedExpiryPolicy.factoryOf(duration);
      case "modified" -> ModifiedExpiryPolicy.factoryOf(duration);
      case "touched" -> TouchedExpiryPolicy.factoryOf(duration);
      default -> throw new IllegalArgumentException("unknown expiry kind " + kind);
    };
  }

  private static boolean parseBoolean(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("expected true or false");
    };
  }

  private static Class<?> loadClass(String name, ClassLoader classLoader) {
    if (name.equals("byte[]")) {
      return byte[].class;
    }
    try {
      return Class.forName(name, false, classLoader);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("class not found: " + name, e);
    }
  }

  private static Codec<?> parseCodec(String value, ClassLoader classLoader) {
    return switch (value) {
      case "bytes" -> Codecs.bytes();
      case "string" -> Codecs.string();
      case "serializable" -> Codecs.serializable(classLoader);
      default -> {
        Object codec = newInstance(value, Codec.class, classLoader);
        yield (Codec<?>) codec;
      }
    };
  }

  private static <T> Factory<T> factoryOf(String className, Class<T> type, ClassLoader classLoader) {
    newInstance(className, type, classLoader); // fail now, not when the cache is created
    return new LoaderClassFactory<>(className, classLoader);
  }

  private static Object newInstance(String className, Class<?> type, ClassLoader classLoader) {
    Class<?> c = loadClass(className, classLoader);
    if (!type.isAssignableFrom(c)) {
      throw new IllegalArgumentException(className + " is not a " + type.getName());
    }
    try {
      return c.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(
          "cannot instantiate " + className + " with a public no-argument constructor", e);
    }
  }
}
