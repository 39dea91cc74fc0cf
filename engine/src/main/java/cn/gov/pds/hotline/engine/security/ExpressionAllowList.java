package cn.gov.pds.hotline.engine.security;

import java.util.Set;

/**
 * No code through a diagram: what a deployed diagram may contain and what its expressions may call.
 * The server's lint (core/bpmn/lint.ts, core/bpmn/expressions.ts) holds the same lists; a unit test keeps them equal.
 */
final class ExpressionAllowList {
  private ExpressionAllowList() {}

  /** Methods an expression may call: Spin JSON accessors and execution.getVariable. */
  static final Set<String> METHODS = Set.of("prop", "hasProp", "boolValue", "stringValue", "numberValue", "elements", "isNull", "isBoolean", "isNumber", "isString", "isArray", "isObject", "isValue", "getVariable");

  /** Functions an expression may call. */
  static final Set<String> FUNCTIONS = Set.of("now");

  /** BPMN elements a deployment may contain (local names). */
  static final Set<String> BPMN_ELEMENTS = Set.of(
      "definitions", "process", "collaboration", "participant", "laneSet", "lane", "flowNodeRef", "childLaneSet",
      "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
      "timerEventDefinition", "timeDate", "timeDuration", "timeCycle", "errorEventDefinition", "terminateEventDefinition",
      "messageEventDefinition", "signalEventDefinition", "escalationEventDefinition", "error", "message", "signal", "escalation",
      "userTask", "serviceTask", "sendTask", "businessRuleTask", "manualTask", "task", "callActivity", "subProcess",
      "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
      "sequenceFlow", "conditionExpression", "incoming", "outgoing", "documentation", "extensionElements",
      "inputOutput", "inputParameter", "outputParameter", "list", "map", "entry", "value", "in", "out",
      "multiInstanceLoopCharacteristics", "loopCardinality", "completionCondition", "properties", "property",
      "textAnnotation", "text", "association", "group", "category", "categoryValue",
      "BPMNDiagram", "BPMNPlane", "BPMNShape", "BPMNEdge", "BPMNLabel", "BPMNLabelStyle", "Bounds", "waypoint", "Font");

  /** Attributes that name Java code, a script or an expression to run. */
  static final Set<String> CODE_ATTRIBUTES = Set.of("class", "delegateExpression", "expression", "scriptFormat", "resource", "language", "variableMappingClass", "variableMappingDelegateExpression");

  /** Tasks the engine would run itself unless they are external tasks (or, for a business rule task, a decision). */
  static final Set<String> SERVICE_TASKS = Set.of("serviceTask", "sendTask", "businessRuleTask");

  /** DMN expression languages: FEEL under its names, and JUEL (evaluated through the restricted resolver). */
  static final Set<String> DMN_LANGUAGES = Set.of(
      "feel", "juel", "http://www.omg.org/spec/feel/20140401", "http://www.omg.org/spec/dmn/20180521/feel/",
      "https://www.omg.org/spec/dmn/20191111/feel/", "https://www.omg.org/spec/dmn/20211108/feel/", "https://www.omg.org/spec/dmn/20230324/feel/");
}
