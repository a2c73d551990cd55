package io.redwing.demo;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A download written a kilobyte at a time ({@code /download?kb=64}), as a file servlet writes one.
 * A plain servlet, so that a client leaving halfway fails the request with the container's
 * exception: Spring MVC 6.2 swallows it.
 */
final class DownloadServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;
  static final int MAX_KB = 65_536;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    int kb = 64;
    try {
      kb = Integer.parseInt(request.getParameter("kb"));
    } catch (NumberFormatException e) {
      // no kb, or not a number: the default
    }
    response.setContentType("application/octet-stream");
    byte[] kilobyte = new byte[1024];
    OutputStream out = response.getOutputStream();
    for (int i = 0; i < Math.max(0, Math.min(kb, MAX_KB)); i++) {
      out.write(kilobyte);
    }
  }
}
