/**
 * 疑似重复: open work orders at the same or a very similar address with similar content, or from the same
 * phone with similar content. Text is compared with pg_trgm's similarity() over `similarity_key()` (the
 * hex of the UTF-8 text, see migration 1764400000000), which the partial GIN index on open addresses serves.
 */
import type { DataSource } from 'typeorm';
import { OPEN_SQL } from './open';

export interface SimilarQuery {
  address?: string;
  content?: string;
  phone?: string;
}

export interface SimilarCase {
  id: string;
  code: string;
  status: string;
  address: string;
  content: string;
  createdAt: Date;
  dueAt: Date | null;
  leadUnitId: string | null;
  addressScore: number;
  contentScore: number | null;
  samePhone: boolean;
}

/** Thresholds measured on Chinese addresses and complaints: same street and number ≈ 0.7–0.9, another street ≤ 0.35. */
export const ADDRESS_SIMILAR = 0.6;
/** Without content, only a (nearly) identical address counts. */
export const ADDRESS_ONLY_SIMILAR = 0.8;
/** Rephrasings of one complaint ≈ 0.7, different complaints sharing stock phrases ≤ 0.35. */
export const CONTENT_SIMILAR = 0.4;

export async function similarOpenCases(ds: DataSource, q: SimilarQuery, limit = 10): Promise<SimilarCase[]> {
  const address = q.address?.trim() || null;
  const content = q.content?.trim() || null;
  const phone = q.phone?.trim() || null;
  if (!address && !phone) return [];
  return ds.query(
    `WITH ids AS (
       SELECT id FROM work_orders WHERE status IN (${OPEN_SQL}) AND similarity_key(address) % similarity_key($1)
       UNION
       SELECT id FROM work_orders WHERE status IN (${OPEN_SQL}) AND citizen_phone = $3
     ), candidates AS (
       SELECT w.id, w.code, w.status, w.address, left(w.content, 200) AS content, w.created_at, w.due_at, w.lead_unit_id,
              CASE WHEN $1::text IS NULL THEN 0 ELSE similarity(similarity_key(w.address), similarity_key($1)) END AS address_score,
              CASE WHEN $2::text IS NULL THEN NULL ELSE similarity(similarity_key(w.content), similarity_key($2)) END AS content_score,
              coalesce(w.citizen_phone = $3, false) AS same_phone
       FROM work_orders w JOIN ids ON ids.id = w.id
     )
     SELECT id, code, status, address, content, created_at AS "createdAt", due_at AS "dueAt", lead_unit_id AS "leadUnitId",
            round(address_score::numeric, 2)::float AS "addressScore", round(content_score::numeric, 2)::float AS "contentScore", same_phone AS "samePhone"
     FROM candidates
     WHERE (content_score IS NULL OR content_score >= $4::real)
       AND (same_phone OR address_score >= CASE WHEN content_score IS NULL THEN $5::real ELSE $6::real END)
     ORDER BY address_score + coalesce(content_score, 0) + CASE WHEN same_phone THEN 0.5 ELSE 0 END DESC, created_at DESC
     LIMIT $7`,
    [address, content, phone, CONTENT_SIMILAR, ADDRESS_ONLY_SIMILAR, ADDRESS_SIMILAR, limit],
  );
}
