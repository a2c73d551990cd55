package io.redwing.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/** Spring MVC set-up without Spring Boot: the controllers, the owner store, default converters. */
@Configuration
@EnableWebMvc
class DemoWebConfig {

  @Bean(destroyMethod = "close")
  OwnerStore ownerStore() {
    return OwnerStore.fromEnvironment();
  }

  @Bean
  OwnerController ownerController(OwnerStore ownerStore) {
    return new OwnerController(ownerStore);
  }

  @Bean
  OutboundController outboundController() {
    String base = System.getenv("OUTBOUND_BASE_URL");
    if (base == null || base.isBlank()) {
      base = "http://127.0.0.1:" + DemoApp.port(System.getProperty("port"), System.getenv("PORT"));
    }
    return new OutboundController(base);
  }

  @Bean(destroyMethod = "shutdownNow")
  AsyncCompleter asyncCompleter() {
    return new AsyncCompleter();
  }

  @Bean
  DemoController demoController(AsyncCompleter asyncCompleter) {
    return new DemoController(asyncCompleter);
  }

  @Bean(destroyMethod = "shutdown")
  BackgroundWorkController backgroundWorkController() {
    return new BackgroundWorkController();
  }

  @Bean
  OrderController orderController() {
    return new OrderController();
  }

  @Bean(destroyMethod = "close")
  CacheController cacheController() {
    return new CacheController();
  }
}
