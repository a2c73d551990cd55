package io.redwing.demo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Logs a line per request, so the demo's log shows the trace ids the agent puts in the MDC. */
@RestController
class OrderController {
  private static final Logger LOG = LoggerFactory.getLogger(OrderController.class);

  @GetMapping("/orders/{id}")
  String show(@PathVariable("id") long id) {
    LOG.info("order {} looked up", id);
    return "order " + id + "\n";
  }
}
