package io.redwing.demo;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The route-template endpoint: every id lands in the one route {@code /owners/{id}}. */
@RestController
class OwnerController {

  @GetMapping(value = "/owners/{id}", produces = "application/json")
  String owner(@PathVariable("id") long id) {
    return "{\"id\":" + id + ",\"name\":\"Owner " + id + "\"}";
  }
}
