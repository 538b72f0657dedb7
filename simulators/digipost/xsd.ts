// XSD validation with xmllint (libxml2 in wasm, from xmllint-wasm) in one long-lived worker thread per
// validator (xsd-worker.mjs): the wasm is compiled once, each document gets a fresh xmllint run. The answers
// are read as xmllint-wasm's validateXML() reads them, so the errors are the same, message for message.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Worker } from 'node:worker_threads';

/** The worker's answer to one document. */
type Answer = { id: number; exitCode: number; stderr: string } | { id: number; failure: string };

interface Pending {
  resolve(errors: string[]): void;
  reject(e: Error): void;
}

/** xmllint-wasm's memory defaults (16 MiB, at most 32 MiB), in 64 KiB pages. */
const MEMORY = { initialMemoryPages: 256, maxMemoryPages: 512 };

/**
 * xmllint's messages from stderr, without file name and line number, as validateXML() gives them: the last
 * line ("… fails to validate") is dropped, and so is "… validates".
 */
function messages(stderr: string): string[] {
  return stderr
    .split('\n')
    .slice(0, -2)
    .flatMap((line) => {
      const [fileName, lineNumber, ...rest] = line.split(':');
      if (fileName && lineNumber && rest.length) return [rest.join(':').trim()];
      return line.trim().endsWith(' validates') ? [] : [line.trim()];
    });
}

export class XsdValidator {
  readonly #xsd: { xsd: string; xsdFileName: string };
  readonly #pending = new Map<number, Pending>();
  #worker: Worker | undefined;
  #nextId = 0;

  /** The worker starts on the first validation; `xsdFileName` is the name xmllint reports the schema by. */
  constructor(xsdPath: string, xsdFileName = basename(xsdPath)) {
    this.#xsd = { xsd: readFileSync(xsdPath, 'utf8'), xsdFileName };
  }

  /** Schema errors of `xml` (well-formedness included), one per xmllint message; empty when valid. */
  errors(xml: string): Promise<string[]> {
    const worker = (this.#worker ??= this.#start());
    const id = this.#nextId++;
    return new Promise<string[]>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Busy, the worker keeps the process alive until it answers; idle, never.
      worker.ref();
      worker.postMessage({ id, xml });
    });
  }

  /** Stops the worker; validations still running fail. A later `errors()` starts a new worker. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#failAll(new Error('XSD validator closed'));
    if (worker) await worker.terminate();
  }

  #start(): Worker {
    const worker = new Worker(new URL('./xsd-worker.mjs', import.meta.url), {
      // Plain JavaScript: without the parent's flags (tsx's loader would cost every start ~250 ms).
      execArgv: [],
      workerData: { ...this.#xsd, ...MEMORY },
    });
    worker.unref();
    worker.on('message', (answer: Answer) => {
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      if (this.#pending.size === 0) worker.unref();
      if ('failure' in answer) return pending.reject(new Error(`xmllint failed: ${answer.failure}`));
      // xmllint's exit codes, read as validateXML() reads them: 0 valid, 3 and 4 invalid, others a failure.
      if (answer.exitCode === 0) return pending.resolve([]);
      if (answer.exitCode === 3 || answer.exitCode === 4) return pending.resolve(messages(answer.stderr));
      pending.reject(new Error(`xmllint exited with ${answer.exitCode}: ${answer.stderr}`));
    });
    worker.on('error', (e) => this.#lose(worker, e));
    worker.on('exit', (code) => this.#lose(worker, new Error(`XSD validator thread exited (${code})`)));
    return worker;
  }

  /** The worker died: its validations fail, the next one starts a new worker. */
  #lose(worker: Worker, e: Error) {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    this.#failAll(e);
  }

  #failAll(e: Error) {
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }
}
