// Messages of the letter workflow (`letter-{id}`): what the API, runs and the event poller tell a letter.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { LetterStatus } from '../domain/letter-status';
import type { AddressCorrection } from '../activities/letter-activities';

/** The letter was deleted from the queue before its run (the database already says so). */
export const letterDeleted = defineSignal('letterDeleted');

/** A run (or a send) moved the letter: its new status, already recorded in the database. */
export const letterOutcome = defineSignal<[{ status: LetterStatus; version: number }]>('letterOutcome');

/** A Digipost document event for the letter's current document (from the events poller). */
export const digipostEvent =
  defineSignal<[{ type: string; version: number; detail?: string }]>('digipostEvent');

/** An operator or case system corrected the postal address of a letter that was not sent. */
export const correctAddress = defineSignal<[AddressCorrection]>('correctAddress');

export const letterState = defineQuery<{ status: LetterStatus; version: number }>('letterState');
