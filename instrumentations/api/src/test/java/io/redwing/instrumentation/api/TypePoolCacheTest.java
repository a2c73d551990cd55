package io.redwing.instrumentation.api;

import static org.assertj.core.api.Assertions.assertThat;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class TypePoolCacheTest {

  @Test
  void sharesOneCachePerLoaderAndOneForTheBootstrapLoader() {
    TypePoolCache cache = new TypePoolCache();
    ClassLoader loader = getClass().getClassLoader();

    assertThat(cache.locate(loader)).isSameAs(cache.locate(loader));
    assertThat(cache.locate(null)).isSameAs(cache.locate(null)).isNotSameAs(cache.locate(loader));
  }

  @Test
  void neverHoldsMoreThanItsBoundForOneLoader() {
    TypePoolCache.Bounded types = new TypePoolCache.Bounded();
    TypePool.Resolution resolution =
        new TypePool.Resolution.Simple(TypeDescription.ForLoadedType.of(Object.class));
    int registered = 3 * TypePoolCache.MAX_TYPES_PER_LOADER;

    for (int i = 0; i < registered; i++) {
      types.register("type" + i, resolution);
      assertThat(types.size()).isLessThanOrEqualTo(TypePoolCache.MAX_TYPES_PER_LOADER);
    }
    assertThat(types.find("type" + (registered - 1))).isSameAs(resolution);
  }

  @Test
  void releasesTheTypesOfLoadersThatStoppedLoadingClasses() throws InterruptedException {
    TypePoolCache cache = new TypePoolCache();
    ClassLoader busy = getClass().getClassLoader();
    TypePool.CacheProvider idle = cache.locate(null);
    TypePool.CacheProvider used = cache.locate(busy);
    Thread.sleep(50);
    long usedAt = System.nanoTime();
    used.find("anything");

    TypePoolCache.releaseIdle(1_000_000L, usedAt + 1_000_000L);

    assertThat(cache.locate(null)).isNotSameAs(idle);
    assertThat(cache.locate(busy)).isSameAs(used);
  }

  @Test
  void releasesTheCachesOfEveryInstallNotOnlyTheFirst() throws InterruptedException {
    TypePoolCache first = new TypePoolCache();
    TypePoolCache second = new TypePoolCache();
    TypePool.CacheProvider firstIdle = first.locate(null);
    TypePool.CacheProvider secondIdle = second.locate(null);
    Thread.sleep(5);

    TypePoolCache.releaseIdle(1_000_000L);

    assertThat(first.locate(null)).isNotSameAs(firstIdle);
    assertThat(second.locate(null)).isNotSameAs(secondIdle);
  }
}
