/**
 * The process admins' modeler: pick a deployed process or decision, edit it, check it against the server's rules and
 * deploy it with a comment; compare and roll back versions, migrate running work orders between versions and watch
 * them live on the diagram; edit the task forms and preview them. Every screen speaks Chinese. Admins only, signed
 * in with the session the workbench shares. Each feature is its own module on the shared workspace.
 */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression-controls.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn-embedded.css';
import '@bpmn-io/form-js/dist/assets/form-js.css';
import '@bpmn-io/form-js/dist/assets/form-js-editor.css';
import '@bpmn-io/form-js/dist/assets/properties-panel.css';
import '@bpmn-io/form-js/dist/assets/flatpickr/light.css';
import './styles.css';
import { onUnauthorized } from '../../web-shared/src/api';
import { loginScreen } from '../../web-shared/src/login';
import { currentUser, signOut, userIn, type User } from '../../web-shared/src/session';
import { createDeploy } from './deploy';
import { createDocuments } from './documents';
import { createForms } from './forms';
import { createLists } from './lists';
import { createLiveView } from './live';
import { createMigration } from './migration';
import { createVersions } from './versions';
import { Workspace } from './workspace';

const ADMINS_ONLY = '只有系统管理员可以使用流程建模器，请使用管理员账号登录。';
const root = document.getElementById('app') as HTMLElement;
let workspace: Workspace | null = null;

const refuse = (user: User) => (userIn(user, 'administration') ? null : ADMINS_ONLY);

function showLogin(message?: string) {
  workspace?.doc?.editor.destroy();
  workspace = null;
  root.replaceChildren(
    loginScreen({
      title: '流程建模',
      subtitle: '平顶山市12345市长热线 · 流程与决策表管理（仅限管理员）',
      message,
      refuse,
      onSignedIn: (user) => void showWorkspace(user),
    }),
  );
}

/** 退出登录 ends the session of both apps. */
async function logout(message?: string) {
  await signOut();
  showLogin(message);
}

async function showWorkspace(user: User) {
  const ws = new Workspace(user, () => void logout());
  workspace = ws;
  const documents = createDocuments(ws);
  const lists = createLists(ws, documents);
  const forms = createForms(ws, documents);
  const versions = createVersions(ws, documents);
  const live = createLiveView(ws, versions);
  const migrate = createMigration(ws, versions);
  const { checkButton, deployButton } = createDeploy(ws, documents);

  ws.section('已部署的定义', lists.definitions);
  ws.section('表单', forms.list);
  ws.section('版本历史', versions.list);
  ws.section('打开本地文件', documents.localFile);
  ws.section('部署历史', lists.history);
  ws.toolbar.append(versions.compareButton, live, migrate, forms.previewButton, checkButton, ws.comment, deployButton);
  ws.on('signed-out', (message) => void logout(message));
  root.replaceChildren(ws.root);
  await Promise.all([lists.reload(), forms.reload()]);
}

// The session ended elsewhere (expired, or signed out in the workbench).
onUnauthorized(() => workspace && showLogin('登录已过期，请重新登录'));

async function start() {
  document.documentElement.lang = 'zh-CN';
  const user = await currentUser().catch(() => null);
  if (!user) return showLogin();
  const refusal = refuse(user);
  if (refusal) return showLogin(refusal);
  await showWorkspace(user);
}

void start();
