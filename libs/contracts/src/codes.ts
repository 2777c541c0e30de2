import { create } from '@bufbuild/protobuf';
import type {
  CandidateState as DomainCandidateState,
  ErasureGround as DomainErasureGround,
  MatchAction as DomainMatchAction,
  MatchStrength as DomainMatchStrength,
  ReleaseDecision as DomainReleaseDecision,
  Evaluation as DomainEvaluation,
  Handling as DomainHandling,
  HandlingCode as DomainHandlingCode,
  MessageType as DomainMessageType,
  Priority as DomainPriority,
} from '@liaison/domain';
import {
  EvaluationSchema,
  FourByFourSchema,
  HandlingCode,
  HandlingSchema,
  MessageType,
  Priority,
  RectificationAction,
  UkGradingSchema,
  type Evaluation,
  type Handling,
} from './gen/liaison/v1/messages_pb';
import { ErasureGround } from './gen/liaison/v1/cases_pb';
import { CandidateState, MatchAction, MatchStrength, ReleaseDecision } from './gen/liaison/v1/matches_pb';

/** Translations between the domain's code names and the contract's enums, both ways. */
function bijection<D extends string, P extends number>(pairs: Record<D, P>) {
  const back = new Map<number, D>(Object.entries(pairs).map(([d, p]) => [p as number, d as D]));
  return {
    toProto: (value: D): P => pairs[value],
    fromProto: (value: number): D | null => back.get(value) ?? null,
  };
}

export const messageTypeCodec = bijection<DomainMessageType, MessageType>({
  request: MessageType.REQUEST,
  reply: MessageType.REPLY,
  information: MessageType.INFORMATION,
  'cross-check': MessageType.CROSS_CHECK,
});

export const priorityCodec = bijection<DomainPriority, Priority>({
  'urgent-direct': Priority.URGENT_DIRECT,
  urgent: Priority.URGENT,
  normal: Priority.NORMAL,
});

const strengths = bijection<DomainMatchStrength, MatchStrength>({
  strong: MatchStrength.STRONG,
  candidate: MatchStrength.CANDIDATE,
});

/** A match's strength; a record that leaves it unspecified is read as strong, as records before it had one. */
export const matchStrengthCodec = {
  toProto: strengths.toProto,
  fromProto: (value: number): DomainMatchStrength => strengths.fromProto(value) ?? 'strong',
};

export const matchActionCodec = bijection<DomainMatchAction, MatchAction>({
  release: MatchAction.RELEASE,
  decline: MatchAction.DECLINE,
  confirm: MatchAction.CONFIRM,
  dismiss: MatchAction.DISMISS,
});

export const erasureGroundCodec = bijection<DomainErasureGround, ErasureGround>({
  'no-longer-needed': ErasureGround.NO_LONGER_NEEDED,
  'unlawfully-processed': ErasureGround.UNLAWFULLY_PROCESSED,
  'data-subject-request': ErasureGround.DATA_SUBJECT_REQUEST,
  ordered: ErasureGround.ORDERED,
});

/** What a rectification does to the entity it names. */
export type EntityRectification = 'rectify' | 'remove';

export const rectificationActionCodec = bijection<EntityRectification, RectificationAction>({
  rectify: RectificationAction.RECTIFY,
  remove: RectificationAction.REMOVE,
});

export const releaseDecisionCodec = bijection<DomainReleaseDecision, ReleaseDecision>({
  pending: ReleaseDecision.PENDING,
  released: ReleaseDecision.RELEASED,
  declined: ReleaseDecision.DECLINED,
});

export const candidateStateCodec = bijection<DomainCandidateState, CandidateState>({
  suggested: CandidateState.SUGGESTED,
  confirmed: CandidateState.CONFIRMED,
  dismissed: CandidateState.DISMISSED,
});

export const handlingCodeCodec = bijection<DomainHandlingCode, HandlingCode>({
  H0: HandlingCode.H0,
  H1: HandlingCode.H1,
  H2: HandlingCode.H2,
  H3: HandlingCode.H3,
});

export function handlingToProto(handling: DomainHandling): Handling {
  return create(HandlingSchema, {
    code: handlingCodeCodec.toProto(handling.code),
    restriction: handling.restriction ?? '',
    ukCode: handling.uk ?? '',
  });
}

export function handlingFromProto(handling: Handling | undefined): DomainHandling | null {
  const code = handling ? handlingCodeCodec.fromProto(handling.code) : null;
  if (!handling || !code) return null;
  return {
    code,
    ...(handling.restriction ? { restriction: handling.restriction } : {}),
    ...(handling.ukCode === 'P' || handling.ukCode === 'C' ? { uk: handling.ukCode } : {}),
  };
}

export function evaluationToProto(evaluation: DomainEvaluation | undefined): Evaluation | undefined {
  if (!evaluation) return undefined;
  return evaluation.scheme === '4x4'
    ? create(EvaluationSchema, {
        grading: {
          case: 'fourByFour',
          value: create(FourByFourSchema, { source: evaluation.source, information: evaluation.information }),
        },
      })
    : create(EvaluationSchema, {
        grading: {
          case: 'uk',
          value: create(UkGradingSchema, {
            source: evaluation.source,
            intelligence: evaluation.intelligence,
            handling: evaluation.handling,
          }),
        },
      });
}

/** The evaluation as the provider gave it; values were validated at the gateway and are carried verbatim. */
export function evaluationFromProto(evaluation: Evaluation | undefined): DomainEvaluation | null {
  switch (evaluation?.grading.case) {
    case 'fourByFour':
      return {
        scheme: '4x4',
        source: evaluation.grading.value.source,
        information: evaluation.grading.value.information,
      } as DomainEvaluation;
    case 'uk':
      return {
        scheme: '3x5x2',
        source: evaluation.grading.value.source,
        intelligence: evaluation.grading.value.intelligence,
        handling: evaluation.grading.value.handling,
      } as DomainEvaluation;
    case undefined:
      return null;
  }
}
