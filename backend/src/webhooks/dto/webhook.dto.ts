import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsString, IsUrl, MaxLength } from 'class-validator';
import { OptionalNotNull, StoredLabel } from '#src/common/validators.js';
import { type CreateWebhookRequest, WEBHOOK_EVENT_TYPES, type WebhookEventType } from '#src/contract/index.js';

/** `POST /api/admin/webhooks` (docs/alerts.md). */
export class CreateWebhookDto implements CreateWebhookRequest {
  /** http(s); no user name or password in it (they would show in every list). */
  @IsString()
  @MaxLength(2048)
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'], disallow_auth: true },
    { message: 'url must be an http(s) URL without a user name or password' },
  )
  url!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true, message: `events are among ${WEBHOOK_EVENT_TYPES.join(', ')}` })
  events!: WebhookEventType[];

  @OptionalNotNull()
  @StoredLabel()
  @IsString()
  @MaxLength(200)
  description?: string;
}
