package cn.gov.pds.hotline.engine.security;

import jakarta.el.BeanELResolver;
import jakarta.el.ELContext;
import jakarta.el.MethodNotFoundException;
import jakarta.el.PropertyNotFoundException;
import jakarta.el.PropertyNotWritableException;

/**
 * The last resolver of every expression: calls a method on an object only when its name is allow-listed,
 * and reads no Java bean property at all (maps, lists and variables are resolved before it), so
 * `${''.getClass().forName(...)}` or `${execution.processEngineServices}` fail at evaluation.
 */
public class AllowListElResolver extends BeanELResolver {
  public AllowListElResolver() {
    super(true);
  }

  @Override
  public Object invoke(ELContext context, Object base, Object method, Class<?>[] paramTypes, Object[] params) {
    if (base == null || method == null) return null;
    String name = method.toString();
    if (!ExpressionAllowList.METHODS.contains(name)) {
      throw new MethodNotFoundException("表达式不允许调用方法 / expressions may not call method: " + name);
    }
    return super.invoke(context, base, method, paramTypes, params);
  }

  @Override
  public Object getValue(ELContext context, Object base, Object property) {
    if (base == null) return null;
    throw new PropertyNotFoundException("表达式不允许读取对象属性 / expressions may not read object property: " + property);
  }

  @Override
  public Class<?> getType(ELContext context, Object base, Object property) {
    if (base == null) return null;
    throw new PropertyNotFoundException("表达式不允许读取对象属性 / expressions may not read object property: " + property);
  }

  @Override
  public void setValue(ELContext context, Object base, Object property, Object value) {
    if (base == null) return;
    throw new PropertyNotWritableException("表达式不允许写入对象属性 / expressions may not write object property: " + property);
  }

  @Override
  public boolean isReadOnly(ELContext context, Object base, Object property) {
    return true;
  }
}
