import type { IdChecksum } from "@pbms/graphql-types";

export const idChecksums: readonly IdChecksum[] = ["NONE", "LUHN", "VERHOEFF"];
export const checksumChoices = idChecksums.map((id) => ({ id, name: `app.idType.checksum.${id}` }));
