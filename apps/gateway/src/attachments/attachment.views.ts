import { ApiProperty } from '@nestjs/swagger';

/** An upload, to name in a message's attachments. */
export class UploadView {
  @ApiProperty({ format: 'uuid', description: "Name this id in a message's attachments" }) id!: string;
  @ApiProperty({ example: 'photo-0412.jpg' }) fileName!: string;
  @ApiProperty({
    example: 'image/jpeg',
    description:
      'What the bytes are (never the declared Content-Type); application/octet-stream for anything not on the list of served types',
  })
  contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ description: 'SHA-256 of the content, lower-case hex' }) sha256!: string;
}
