package io.redwing.instrumentation.apachehttpclient5;

import static io.redwing.instrumentation.api.ClassLoaderMatchers.hasClassesNamed;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.redwing.bootstrap.HttpClientCalls;
import io.redwing.bootstrap.Operation;
import io.redwing.instrumentation.api.AdviceTarget;
import io.redwing.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;

/**
 * Times each request of Apache HttpClient 5's classic client, redirects and retries included, with
 * method, URL and final status, and adds the propagation headers the request lacks.
 */
public final class ApacheHttpClient5Instrumentation implements TypeInstrumentation {

  @Override
  public String name() {
    return "apache-httpclient-5";
  }

  @Override
  public ElementMatcher<ClassLoader> classLoaderMatcher() {
    return hasClassesNamed("org.apache.hc.client5.http.impl.classic.CloseableHttpClient");
  }

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    // Every execute() overload of the public API ends in one of these two doExecute methods.
    return namedOneOf(
        "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
        "org.apache.hc.client5.http.impl.classic.MinimalHttpClient");
  }

  @Override
  public void transform(AdviceTarget target) {
    target.applyAdvice(
        named("doExecute").and(takesArguments(3)), getClass().getName() + "$ExecuteAdvice");
  }

  public static class ExecuteAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Operation onEnter(
        @Advice.Argument(0) HttpHost target, @Advice.Argument(1) ClassicHttpRequest request) {
      Operation op =
          HttpClientCalls.startCall(
              "apache-httpclient-5",
              request.getMethod(),
              HttpClientCalls.url(target == null ? null : target.toURI(), request.getRequestUri()));
      String[] headers = HttpClientCalls.takeMissingHeaders(null);
      for (int i = 0; i + 1 < headers.length; i += 2) {
        Header present = request.getFirstHeader(headers[i]);
        if (HttpClientCalls.mayAddHeader(
            request, headers[i], present == null ? null : present.getValue())) {
          request.setHeader(headers[i], headers[i + 1]);
        }
      }
      HttpClientCalls.injected(request, headers);
      return op;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void onExit(
        @Advice.Enter Operation op,
        @Advice.Return ClassicHttpResponse response,
        @Advice.Thrown Throwable thrown) {
      HttpClientCalls.callReturned(op, response == null ? 0 : response.getCode(), thrown);
    }
  }
}
