package cn.gov.pds.hotline.engine.security;

import jakarta.el.ArrayELResolver;
import jakarta.el.CompositeELResolver;
import jakarta.el.ELResolver;
import jakarta.el.FunctionMapper;
import jakarta.el.ListELResolver;
import jakarta.el.MapELResolver;
import java.lang.reflect.Method;
import java.util.Collections;
import org.operaton.bpm.engine.impl.el.JuelExpressionManager;
import org.operaton.bpm.engine.impl.el.VariableContextElResolver;
import org.operaton.bpm.engine.impl.el.VariableScopeElResolver;

/**
 * The engine's JUEL without beans: expressions see process variables (and `execution`), read maps, lists and
 * arrays, call allow-listed methods and `now()`. No Spring bean, no process-application resolver, no bean
 * property. The DMN engine evaluates `juel` cells through the same manager (ProcessEngineJuelElProvider).
 */
public class RestrictedExpressionManager extends JuelExpressionManager {
  public RestrictedExpressionManager() {
    super(Collections.emptyMap());
  }

  @Override
  protected ELResolver createElResolver() {
    CompositeELResolver resolver = new CompositeELResolver();
    resolver.add(new VariableScopeElResolver());
    resolver.add(new VariableContextElResolver());
    resolver.add(new ArrayELResolver(true));
    resolver.add(new ListELResolver(true));
    resolver.add(new MapELResolver(true));
    resolver.add(new AllowListElResolver());
    return resolver;
  }

  @Override
  protected FunctionMapper createFunctionMapper() {
    FunctionMapper all = super.createFunctionMapper();
    return new FunctionMapper() {
      @Override
      public Method resolveFunction(String prefix, String localName) {
        boolean allowed = (prefix == null || prefix.isEmpty()) && ExpressionAllowList.FUNCTIONS.contains(localName);
        return allowed ? all.resolveFunction(prefix, localName) : null;
      }
    };
  }
}
