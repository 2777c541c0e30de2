import { HANDLING_CODES, MESSAGE_TYPES, PRIORITIES, type Evaluation } from '@liaison/domain';
import {
  evaluationFromProto,
  evaluationToProto,
  handlingCodeCodec,
  handlingFromProto,
  handlingToProto,
  matchStrengthCodec,
  messageTypeCodec,
  priorityCodec,
} from './codes';
import { MatchStrength } from './gen/liaison/v1/matches_pb';

describe('contract code translations', () => {
  it('round-trip every message type, priority and handling code', () => {
    for (const type of MESSAGE_TYPES) expect(messageTypeCodec.fromProto(messageTypeCodec.toProto(type))).toBe(type);
    for (const priority of PRIORITIES) expect(priorityCodec.fromProto(priorityCodec.toProto(priority))).toBe(priority);
    for (const code of HANDLING_CODES) expect(handlingCodeCodec.fromProto(handlingCodeCodec.toProto(code))).toBe(code);
  });

  it('translate match strengths both ways, reading an unspecified one as strong', () => {
    expect(matchStrengthCodec.toProto('strong')).toBe(MatchStrength.STRONG);
    expect(matchStrengthCodec.toProto('candidate')).toBe(MatchStrength.CANDIDATE);
    expect(matchStrengthCodec.fromProto(MatchStrength.CANDIDATE)).toBe('candidate');
    expect(matchStrengthCodec.fromProto(MatchStrength.STRONG)).toBe('strong');
    expect(matchStrengthCodec.fromProto(MatchStrength.UNSPECIFIED)).toBe('strong');
  });

  it('give null for an unspecified or unknown enum value', () => {
    expect(messageTypeCodec.fromProto(0)).toBeNull();
    expect(priorityCodec.fromProto(99)).toBeNull();
  });

  it('round-trip handling with its restriction and UK code', () => {
    expect(handlingFromProto(handlingToProto({ code: 'H3', restriction: 'Do not share with X', uk: 'C' }))).toEqual({
      code: 'H3',
      restriction: 'Do not share with X',
      uk: 'C',
    });
    expect(handlingFromProto(handlingToProto({ code: 'H0' }))).toEqual({ code: 'H0' });
    expect(handlingFromProto(undefined)).toBeNull();
  });

  it.each<Evaluation>([
    { scheme: '4x4', source: 'B', information: '2' },
    { scheme: '3x5x2', source: '1', intelligence: 'A', handling: 'P' },
  ])('round-trip the evaluation %p exactly', (evaluation) => {
    expect(evaluationFromProto(evaluationToProto(evaluation))).toEqual(evaluation);
  });

  it('treat a missing evaluation as none', () => {
    expect(evaluationToProto(undefined)).toBeUndefined();
    expect(evaluationFromProto(undefined)).toBeNull();
  });
});
