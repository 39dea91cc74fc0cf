/** What a dispatch suggestion is, for the server, the workers and the workbench (no runtime code: the browser imports it). */
import type { Category } from '../vocabulary';

export interface Candidate {
  unitId: string;
  unitName: string;
  score: number;
  reason: string;
}

export interface DispatchSuggestion {
  category: Category;
  categoryReason: string;
  unitId: string | null;
  unitName: string | null;
  candidates: Candidate[];
  /** `model:<version>` or `catalogue`: recorded with the case for 建议采纳率. */
  source: string | null;
}
