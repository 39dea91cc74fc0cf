/** 登录: the shared sign-in screen; on success the user lands where their role works. */
import { loginScreen } from '../../../web-shared/src/login';
import { landingFor } from '../session';

export function loginView(main: HTMLElement): void {
  main.append(loginScreen({ title: '平顶山市市长热线', subtitle: '工单受理与办理工作台', onSignedIn: (user) => void (location.hash = landingFor(user)) }));
}
