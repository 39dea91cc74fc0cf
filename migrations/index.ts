import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';
import { RuleSet1764100000000 } from './1764100000000-RuleSet';

/** Every migration, in order. The app at boot and the CLI (`npm run migrate`) both run this list. */
export const MIGRATIONS = [InitialSchema1764000000000, RuleSet1764100000000];
