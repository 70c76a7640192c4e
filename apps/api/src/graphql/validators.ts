import { ValidatorConstraint, type ValidatorConstraintInterface } from "class-validator";

const zones = new Set(Intl.supportedValuesOf("timeZone"));
zones.add("UTC");

@ValidatorConstraint({ name: "isTimeZone" })
export class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === "string" && zones.has(value);
  }
  defaultMessage(): string {
    return "must be an IANA time zone such as Africa/Nairobi";
  }
}
