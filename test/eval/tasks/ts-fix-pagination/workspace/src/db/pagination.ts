import type { Page, PageRequest } from '../domain/types.ts';

/**
 * Turns a page request (pages numbered from 1) into SQL `LIMIT` and `OFFSET` values.
 *
 * @example toLimitOffset({ page: 3, pageSize: 20 }) // { limit: 20, offset: 40 }
 */
export function toLimitOffset(request: PageRequest): { limit: number; offset: number } {
  return { limit: request.pageSize, offset: request.page * request.pageSize };
}

/**
 * Wraps one page of rows with the paging facts a client needs. An empty listing still has one
 * (empty) page.
 *
 * @param items The rows of the requested page.
 * @param total How many rows match in all pages.
 */
export function makePage<T>(items: T[], total: number, request: PageRequest): Page<T> {
  return {
    items,
    page: request.page,
    pageSize: request.pageSize,
    total,
    totalPages: Math.max(1, Math.ceil(total / request.pageSize)),
  };
}
