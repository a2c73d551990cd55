package io.redwing.testapp.jaxrs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;

/** Resources under {@code /api} of every shape whose route the tests check. */
@Path("/items")
public class ItemResource {
  public static final String FAILURE = "resource failed";

  @GET
  @Path("{id}")
  public String item(@PathParam("id") String id) {
    return "item " + id;
  }

  @GET
  @Path("code/{code: [0-9]{2,4}}")
  public String code(@PathParam("code") String code) {
    return "code " + code;
  }

  @GET
  @Path("{id}/fail")
  public String fail() {
    throw new IllegalStateException(FAILURE);
  }

  @GET
  @Path("{id}/later")
  public void later(@PathParam("id") String id, @Suspended AsyncResponse response) {
    new Thread(() -> response.resume("later " + id), "resume-" + id).start();
  }

  @Path("{id}/parts")
  public PartResource parts(@PathParam("id") String id) {
    return new PartResource(id);
  }

  /** Reached through the sub-resource locator {@link #parts}, so it has no {@code @Path}. */
  public static class PartResource {
    private final String item;

    PartResource(String item) {
      this.item = item;
    }

    @GET
    @Path("{part}")
    public String part(@PathParam("part") String part) {
      return "part " + part + " of " + item;
    }
  }
}
