package cn.gov.pds.hotline.engine.security;

import java.util.ArrayList;
import java.util.List;
import org.operaton.bpm.engine.BpmnParseException;
import org.operaton.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.operaton.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.operaton.bpm.engine.impl.util.xml.Element;

/**
 * Refuses a diagram that could run code on the engine: any element outside the allow-list (script tasks,
 * listeners, connectors, field injection), camunda:class / delegateExpression / expression, scripts, and
 * service tasks that are not external tasks. Expressions themselves are checked at evaluation time.
 */
public class NoCodeBpmnParseListener implements BpmnParseListener {
  @Override
  public void parseRootElement(Element root, List<ProcessDefinitionEntity> processDefinitions) {
    List<String> problems = new ArrayList<>();
    List<Element> elements = new ArrayList<>();
    check(root, null, problems, elements);
    if (!problems.isEmpty()) {
      // A BpmnParseException becomes a parse error of the deployment: REST answers 400 naming the element.
      throw new BpmnParseException("部署不能包含代码 / a deployment may not contain code: " + String.join("; ", problems), elements.get(0));
    }
  }

  private static String local(String name) {
    return name.substring(name.lastIndexOf(':') + 1);
  }

  private static void check(Element element, String owner, List<String> problems, List<Element> elements) {
    int before = problems.size();
    String tag = local(element.getTagName());
    String id = element.attribute("id") != null ? element.attribute("id") : owner;
    if (!ExpressionAllowList.BPMN_ELEMENTS.contains(tag)) problems.add(id + ": element " + tag);
    for (String key : element.attributes()) {
      String name = local(key);
      if (ExpressionAllowList.CODE_ATTRIBUTES.contains(name)) problems.add(id + ": attribute " + name);
    }
    if (ExpressionAllowList.SERVICE_TASKS.contains(tag)) {
      boolean external = "external".equals(camunda(element, "type"));
      boolean decision = "businessRuleTask".equals(tag) && camunda(element, "decisionRef") != null;
      if (!external && !decision) problems.add(id + ": " + tag + " must be an external task");
    }
    if (problems.size() > before) elements.add(element);
    for (Element child : element.elements()) check(child, id, problems, elements);
  }

  private static String camunda(Element element, String name) {
    for (String key : element.attributes()) {
      if (local(key).equals(name)) return element.attribute(key);
    }
    return null;
  }
}
