package dev.weakalloc.jcache.configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weakalloc.jcache.spi.WeakAllocCachingProvider;
import java.io.StringReader;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.CacheException;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The near cache keys of the configuration file: what they set, and the errors they report. */
class NearCacheConfigurationTest {
  private static final String PROVIDER = WeakAllocCachingProvider.class.getName();

  private static DeclarativeConfiguration parse(String text) throws Exception {
    Properties properties = new Properties();
    properties.load(new StringReader(text));
    return DeclarativeConfiguration.parse(properties, NearCacheConfigurationTest.class.getClassLoader(), "near.properties");
  }

  @Test
  void backingKeys_setTheNearCacheOfTheConfiguration() throws Exception {
    var config = parse("""
        weakalloc.cache.prices.backingProvider=%s
        weakalloc.cache.prices.backingUri=urn:backing
        weakalloc.cache.prices.backingCache=remote-prices
        weakalloc.cache.prices.backingProperties=a=1, b = x=y
        weakalloc.cache.prices.maxStaleness=250ms
        """.formatted(PROVIDER)).caches().get("prices");

    assertThat(config.isNearCache()).isTrue();
    assertThat(config.getBackingProvider()).isEqualTo(PROVIDER);
    assertThat(config.getBackingUri()).isEqualTo(URI.create("urn:backing"));
    assertThat(config.getBackingCacheName()).isEqualTo("remote-prices");
    assertThat(config.getBackingProperties()).containsEntry("a", "1").containsEntry("b", "x=y").hasSize(2);
    assertThat(config.getMaxStaleness()).isEqualTo(new Duration(TimeUnit.MILLISECONDS, 250));
  }

  @Test
  void noBackingUri_meansTheBackingProvidersDefault_andStalenessDefaultsTo30s() throws Exception {
    var config = parse("""
        weakalloc.cache.prices.backingProvider=%s
        weakalloc.cache.prices.backingCache=prices
        """.formatted(PROVIDER)).caches().get("prices");
    assertThat(config.getBackingUri()).isNull();
    assertThat(config.getMaxStaleness()).isEqualTo(new Duration(TimeUnit.SECONDS, 30));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "backingProvider=com.example.NoSuchProvider|backingCache=p|backingProvider=com.example.NoSuchProvider|class not found",
      "backingProvider=java.lang.String|backingCache=p|backingProvider=java.lang.String|is not a javax.cache.spi.CachingProvider",
      "backingProvider=PROVIDER|maxStaleness=1m|backingProvider=PROVIDER|backingCache is needed too",
      "backingCache=p|maxStaleness=1m|backingCache=p|backingProvider is needed too",
      "maxStaleness=1m|statistics=true|maxStaleness=1m|names no backing cache",
      "backingProvider=PROVIDER|backingCache=p; maxStaleness=soon|maxStaleness=soon|expected a duration",
      "backingProvider=PROVIDER|backingCache=p; maxStaleness=0s|maxStaleness=0s|must not be zero",
      "backingProvider=PROVIDER|backingCache=p; backingUri=a b|backingUri=a b|Illegal character",
      "backingProvider=PROVIDER|backingCache=p; backingProperties=nonsense|backingProperties=nonsense|name=value pairs",
      "backingProvider=PROVIDER|backingCache=p; loader=com.example.EntityLoader|loader=com.example.EntityLoader|configure the loader and writer on the backing cache p",
      "backingProvider=PROVIDER|backingCache=p; expiry=created:1m|expiry=created:1m|set the expiry of entries on the backing cache p",
  })
  void badNearKeys_failNamingTheKeyTheValueAndWhy(String first, String second, String key, String why) {
    StringBuilder text = new StringBuilder();
    for (String entry : (first + "; " + second).split("; ")) {
      text.append("weakalloc.cache.prices.").append(entry.replace("PROVIDER", PROVIDER)).append('\n');
    }
    assertThatThrownBy(() -> parse(text.toString()))
        .isInstanceOf(CacheException.class)
        .hasMessageContaining("near.properties: weakalloc.cache.prices." + key.replace("PROVIDER", PROVIDER))
        .hasMessageContaining(why);
  }
}
