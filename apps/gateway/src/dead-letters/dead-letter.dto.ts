import { Topics } from '@liaison/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ListQueryDto } from '../http/list-query.dto';

const STATES = ['open', 'redriven'] as const;
const SOURCE_TOPICS = Object.values(Topics);

export class DeadLetterQueryDto extends ListQueryDto {
  @ApiPropertyOptional({ enum: STATES, description: 'open: never re-driven; redriven: published again at least once' })
  @IsOptional()
  @IsIn(STATES, { message: `state must be one of ${STATES.join(', ')}` })
  state?: (typeof STATES)[number];

  @ApiPropertyOptional({ enum: SOURCE_TOPICS, description: 'The topic the record failed on' })
  @IsOptional()
  @IsIn(SOURCE_TOPICS, { message: 'topic must be a Liaison topic such as liaison.messages.submitted.v1' })
  topic?: string;
}
