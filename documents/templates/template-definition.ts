// What a template is: a code, a title, the merge data it accepts and the blocks its letter body is made of.
// The renderer (../render.ts) lays the blocks out; templates hold only words.
import type { z } from 'zod';
import type { MergeData } from './merge-data';

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; bold?: boolean }
  /** Label/value rows, e.g. "Skyldner: Kari Nordmann". */
  | { kind: 'facts'; rows: [label: string, value: string][] }
  /** The table of claim lines, fees, interest, payments and the total. */
  | { kind: 'claims' }
  /** The payment box: amount, deadline, account number and KID. */
  | { kind: 'payment' };

export interface TemplateDefinition {
  code: string;
  /** Human name, shown to operators. */
  name: string;
  /** Printed as the letter's heading and used as the PDF title. */
  title: string;
  schema: z.ZodType<MergeData, unknown>;
  body(data: MergeData): Block[];
}
