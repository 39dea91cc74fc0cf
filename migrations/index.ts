import { InitialSchema1764000000000 } from './1764000000000-InitialSchema';

/** Every migration, in order. The app at boot and the CLI (`npm run migrate`) both run this list. */
export const MIGRATIONS = [InitialSchema1764000000000];
