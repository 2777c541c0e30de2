import { Catch, type ArgumentsHost, type RpcExceptionFilter } from '@nestjs/common';
import { throwError, type Observable } from 'rxjs';

/**
 * Hands a consumer handler's error to KafkaBatchServer unchanged. Nest's default RPC filter would replace it
 * with a generic "Internal server error", and the transport needs the real error to retry, log and
 * dead-letter the event with its cause.
 */
@Catch()
export class PassThroughRpcFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}
