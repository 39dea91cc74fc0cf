package cn.gov.pds.hotline.engine.security;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.impl.bpmn.parser.BpmnParseListener;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.cfg.ProcessEnginePlugin;
import org.springframework.stereotype.Component;

/**
 * No code through a diagram, in the engine itself (a deployment straight to /engine-rest/deployment/create):
 * the restricted expression manager without beans, the BPMN parse listener and the DMN transform listener.
 * The Operaton Spring Boot starter registers every ProcessEnginePlugin bean.
 */
@Component
public class NoCodePlugin implements ProcessEnginePlugin {
  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setExpressionManager(new RestrictedExpressionManager());
    configuration.setBeans(Collections.emptyMap());
    configuration.setDmnFeelEnableLegacyBehavior(false);
    List<BpmnParseListener> listeners = configuration.getCustomPreBPMNParseListeners() == null ? new ArrayList<>() : new ArrayList<>(configuration.getCustomPreBPMNParseListeners());
    listeners.add(new NoCodeBpmnParseListener());
    configuration.setCustomPreBPMNParseListeners(listeners);
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    configuration.getDmnEngineConfiguration().getTransformer().getTransformListeners().add(new NoCodeDmnTransformListener());
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine processEngine) {}
}
