package io.redwing.demo;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/** Spring MVC set-up without Spring Boot: one controller, default converters. */
@Configuration
@EnableWebMvc
class DemoWebConfig {

  @Bean
  OwnerController ownerController() {
    return new OwnerController();
  }

  @Bean(destroyMethod = "shutdownNow")
  AsyncCompleter asyncCompleter() {
    return new AsyncCompleter();
  }

  @Bean
  DemoController demoController(AsyncCompleter asyncCompleter) {
    return new DemoController(asyncCompleter);
  }

  @Bean(destroyMethod = "close")
  CacheController cacheController() {
    return new CacheController();
  }
}
