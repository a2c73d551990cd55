package io.redwing.demo;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The route-template endpoint backed by a JDBC query: every id lands in the one route {@code
 * /owners/{id}}.
 */
@RestController
class OwnerController {
  private final OwnerStore store;

  OwnerController(OwnerStore store) {
    this.store = store;
  }

  @GetMapping(value = "/owners/{id}", produces = "application/json")
  ResponseEntity<String> owner(@PathVariable("id") long id) {
    return store
        .name(id)
        .map(name -> "{\"id\":" + id + ",\"name\":\"" + name + "\"}")
        .map(body -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body))
        .orElseGet(() -> ResponseEntity.notFound().build());
  }

  /** Fails for every seeded owner: the id is taken. */
  @GetMapping(value = "/owners/{id}/register", produces = "application/json")
  String register(@PathVariable("id") long id) {
    store.registerAgain(id);
    return "{\"registered\":" + id + "}";
  }
}
