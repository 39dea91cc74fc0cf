package cn.gov.pds.hotline.engine.security;

import java.util.Locale;
import org.operaton.bpm.dmn.engine.DmnDecision;
import org.operaton.bpm.dmn.engine.DmnDecisionRequirementsGraph;
import org.operaton.bpm.dmn.engine.impl.DmnDecisionTableInputImpl;
import org.operaton.bpm.dmn.engine.impl.DmnDecisionTableOutputImpl;
import org.operaton.bpm.dmn.engine.impl.DmnDecisionTableRuleImpl;
import org.operaton.bpm.dmn.engine.impl.spi.transform.DmnTransformListener;
import org.operaton.bpm.dmn.engine.impl.transform.DmnTransformException;
import org.operaton.bpm.model.dmn.instance.Decision;
import org.operaton.bpm.model.dmn.instance.Definitions;
import org.operaton.bpm.model.dmn.instance.Input;
import org.operaton.bpm.model.dmn.instance.Output;
import org.operaton.bpm.model.dmn.instance.Rule;
import org.operaton.bpm.model.xml.instance.DomElement;

/** Refuses a decision table whose cells use any expression language but FEEL or (restricted) JUEL: no scripts. */
public class NoCodeDmnTransformListener implements DmnTransformListener {
  @Override
  public void transformDecisionRequirementsGraph(Definitions definitions, DmnDecisionRequirementsGraph graph) {
    check(definitions.getDomElement());
  }

  @Override
  public void transformDecision(Decision decision, DmnDecision dmnDecision) {
    check(decision.getDomElement());
  }

  @Override
  public void transformDecisionTableInput(Input input, DmnDecisionTableInputImpl dmnInput) {}

  @Override
  public void transformDecisionTableOutput(Output output, DmnDecisionTableOutputImpl dmnOutput) {}

  @Override
  public void transformDecisionTableRule(Rule rule, DmnDecisionTableRuleImpl dmnRule) {}

  private static void check(DomElement element) {
    String language = element.getAttribute("expressionLanguage");
    if (language != null && !language.isBlank() && !ExpressionAllowList.DMN_LANGUAGES.contains(language.trim().toLowerCase(Locale.ROOT))) {
      String id = element.getAttribute("id");
      throw new DmnTransformException("决策表只能使用 FEEL 或受限的 JUEL / expression language not allowed: " + language + " (" + element.getLocalName() + " " + id + ")");
    }
    for (DomElement child : element.getChildElements()) check(child);
  }
}
