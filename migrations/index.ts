import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { RuleSet1764100000000 } from './1764100000000-RuleSet';
import { Assessment1764300000000 } from './1764300000000-Assessment';
import { Audit1764400000000 } from './1764400000000-Audit';
import { CaseSearch1764500000000 } from './1764500000000-CaseSearch';
import { AccountNotify1764600000000 } from './1764600000000-AccountNotify';
import { AdhocReview1764700000000 } from './1764700000000-AdhocReview';
import { AccountLifecycle1764800000000 } from './1764800000000-AccountLifecycle';
import { Outbox1764900000000 } from './1764900000000-Outbox';
import { RateLimits1765000000000 } from './1765000000000-RateLimits';
import { DispatchModel1765200000000 } from './1765200000000-DispatchModel';
import { HistoryImport1765300000000 } from './1765300000000-HistoryImport';
import { ManualSupervision1765400000000 } from './1765400000000-ManualSupervision';
import { CaseFlags1765500000000 } from './1765500000000-CaseFlags';
import { ReportIndexes1765600000000 } from './1765600000000-ReportIndexes';
import { ReportMonths1765700000000 } from './1765700000000-ReportMonths';
import { TypicalIndexes1765800000000 } from './1765800000000-TypicalIndexes';
import { LeaderInstruction1765900000000 } from './1765900000000-LeaderInstruction';
import { OneTrainingRun1766000000000 } from './1766000000000-OneTrainingRun';
import { IntakeKey1766100000000 } from './1766100000000-IntakeKey';

/** Every migration, in order. The app at boot and the CLI (`npm run migrate`) both run this list. */
export const MIGRATIONS = [
  InitialSchema1764000000000,
  RuleSet1764100000000,
  Assessment1764300000000,
  Audit1764400000000,
  CaseSearch1764500000000,
  AccountNotify1764600000000,
  AdhocReview1764700000000,
  AccountLifecycle1764800000000,
  Outbox1764900000000,
  RateLimits1765000000000,
  DispatchModel1765200000000,
  HistoryImport1765300000000,
  ManualSupervision1765400000000,
  CaseFlags1765500000000,
  ReportIndexes1765600000000,
  ReportMonths1765700000000,
  TypicalIndexes1765800000000,
  LeaderInstruction1765900000000,
  OneTrainingRun1766000000000,
  IntakeKey1766100000000,
];
