package cn.gov.pds.hotline.engine.security;

import org.operaton.bpm.engine.IdentityService;
import org.operaton.bpm.engine.identity.User;
import org.operaton.bpm.engine.rest.security.auth.ProcessEngineAuthenticationFilter;
import org.operaton.bpm.engine.rest.security.auth.impl.HttpBasicAuthenticationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The REST API answers only the service account (HTTP basic): every call to /engine-rest but GET /engine-rest/engine
 * (the readiness probe, which the filter lets through) without its credential gets 401. The account is
 * ENGINE_SERVICE_USER / ENGINE_SERVICE_PASSWORD, created or given its password here, before the web server
 * opens; without them the engine does not start.
 */
@Configuration
public class RestAuthentication {
  private static final Logger LOG = LoggerFactory.getLogger(RestAuthentication.class);

  /** The account, present in the engine's identity tables with this password. */
  public record ServiceAccount(String user) {}

  @Bean
  public ServiceAccount serviceAccount(IdentityService identity, @Value("${ENGINE_SERVICE_USER:}") String user, @Value("${ENGINE_SERVICE_PASSWORD:}") String password) {
    if (user.isBlank() || password.isBlank()) {
      throw new IllegalStateException("ENGINE_SERVICE_USER and ENGINE_SERVICE_PASSWORD are required: the REST API answers only its service account");
    }
    User existing = identity.createUserQuery().userId(user).singleResult();
    if (existing == null) {
      User created = identity.newUser(user);
      created.setFirstName("hotline");
      created.setLastName("service");
      created.setPassword(password);
      try {
        identity.saveUser(created);
        LOG.info("created the REST service account {}", user);
        return new ServiceAccount(user);
      } catch (RuntimeException e) {
        // another node starting at the same time created it first
        existing = identity.createUserQuery().userId(user).singleResult();
        if (existing == null) throw e;
      }
    }
    if (!identity.checkPassword(user, password)) {
      existing.setPassword(password);
      identity.saveUser(existing);
      LOG.info("set the REST service account's password from ENGINE_SERVICE_PASSWORD");
    }
    return new ServiceAccount(user);
  }

  /** Depends on the account, so that the filter (and the web server) come up only once the account exists. */
  @Bean
  public FilterRegistrationBean<ProcessEngineAuthenticationFilter> engineRestAuthentication(ServiceAccount account) {
    FilterRegistrationBean<ProcessEngineAuthenticationFilter> registration = new FilterRegistrationBean<>(new ProcessEngineAuthenticationFilter());
    registration.setName("engine-rest-authentication");
    registration.addInitParameter(ProcessEngineAuthenticationFilter.AUTHENTICATION_PROVIDER_PARAM, HttpBasicAuthenticationProvider.class.getName());
    registration.addInitParameter(ProcessEngineAuthenticationFilter.SERVLET_PATH_PREFIX, "/engine-rest");
    registration.addUrlPatterns("/engine-rest/*");
    registration.setOrder(1);
    return registration;
  }
}
