// Migrations in the order they run. Generated from the entities (`npm run migration:generate`), then reviewed.
import { InitialSchema1795374019184 } from './1795374019184-initial-schema';
import { DropUnusedSenderIndex1795375995622 } from './1795375995622-drop-unused-sender-index';
import { AgencyCodesCheckedByRouter1795376203122 } from './1795376203122-agency-codes-checked-by-router';
import { MessageCodes1795376709495 } from './1795376709495-message-codes';
import { DeliveryReceipts1795377076463 } from './1795377076463-delivery-receipts';
import { IdempotencyKeys1795377386370 } from './1795377386370-idempotency-keys';
import { CaseLifecycle1795378401603 } from './1795378401603-case-lifecycle';
import { MessageEntities1795378884987 } from './1795378884987-message-entities';
import { HandlingAcknowledgements1795379246616 } from './1795379246616-handling-acknowledgements';
import { Classification1795379722623 } from './1795379722623-classification';
import { AuditJitsForwardsAttachments1795382520772 } from './1795382520772-audit-jits-forwards-attachments';
import { MatchIndex1795396278295 } from './1795396278295-match-index';
import { MatchAnnouncements1795396874095 } from './1795396874095-match-announcements';
import { MatchReviewsNotifications1795399069210 } from './1795399069210-match-reviews-notifications';
import { DismissedCandidates1795402841036 } from './1795402841036-dismissed-candidates';
import { MatchKeysByKeyOnly1795403178471 } from './1795403178471-match-keys-by-key-only';
import { MatchKeysByHash1795418186507 } from './1795418186507-match-keys-by-hash';
import { ReportImports1795425871666 } from './1795425871666-report-imports';
import { ReportExchanges1795426885587 } from './1795426885587-report-exchanges';
import { ReportFacts1795432767907 } from './1795432767907-report-facts';
import { OpenRequestsIndex1795437092500 } from './1795437092500-open-requests-index';
import { ReportCubes1795445390650 } from './1795445390650-report-cubes';
import { OpenRequests1795453060941 } from './1795453060941-open-requests';
import { AgencyKinds1795469992712 } from './1795469992712-agency-kinds';
import { CounterFillfactor1795480000000 } from './1795480000000-counter-fillfactor';
import { DeadLetters1796283920701 } from './1796283920701-dead-letters';

export const MIGRATIONS = [InitialSchema1795374019184, DropUnusedSenderIndex1795375995622, AgencyCodesCheckedByRouter1795376203122, MessageCodes1795376709495, DeliveryReceipts1795377076463, IdempotencyKeys1795377386370, CaseLifecycle1795378401603, MessageEntities1795378884987, HandlingAcknowledgements1795379246616, Classification1795379722623, AuditJitsForwardsAttachments1795382520772, MatchIndex1795396278295, MatchAnnouncements1795396874095, MatchReviewsNotifications1795399069210, DismissedCandidates1795402841036, MatchKeysByKeyOnly1795403178471, MatchKeysByHash1795418186507, ReportImports1795425871666, ReportExchanges1795426885587, ReportFacts1795432767907, OpenRequestsIndex1795437092500, ReportCubes1795445390650, OpenRequests1795453060941, AgencyKinds1795469992712, CounterFillfactor1795480000000, DeadLetters1796283920701];
