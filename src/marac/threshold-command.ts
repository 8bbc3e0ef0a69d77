// `npx harbour risk thresholds --instrument <id> --medium N --high N`: sets the count of Yes answers at
// which a checklist's medium and high grades start, for the whole partnership. Checked (whole numbers,
// medium below high, high reachable), stored in the setting table and audited; assessments graded from
// then on use them.
import type { Db } from '../platform/db/database.ts'
import { INSTRUMENTS } from './instruments.ts'
import { ThresholdSettingError, setThresholds } from './assessments.ts'
import { MaracCommandError } from './return-command.ts'

const wholeNumber = (value: string | undefined, option: string): number | undefined => {
  if (value === undefined) return undefined
  if (!/^[0-9]{1,3}$/.test(value.trim())) throw new MaracCommandError(`${option} must be a whole number of Yes answers, not "${value}"`)
  return Number(value.trim())
}

export async function riskThresholdsCommand(db: Db, values: { instrument?: string | undefined, medium?: string | undefined, high?: string | undefined }): Promise<number> {
  const checklists = INSTRUMENTS.filter((i) => i.scoring === 'count-of-yes').map((i) => i.id)
  if (!values.instrument) throw new MaracCommandError(`risk thresholds needs --instrument <id> (one of ${checklists.join(', ')}) and --medium N and/or --high N`)
  const medium = wholeNumber(values.medium, '--medium')
  const high = wholeNumber(values.high, '--high')
  try {
    const { from, to } = await setThresholds(db, { instrumentId: values.instrument, medium, high, actor: { label: `command line (${process.env.USER ?? 'unknown user'})` } })
    console.log(`Thresholds of ${values.instrument}: medium from ${to.medium} Yes answers (was ${from.medium}), high from ${to.high} (was ${from.high}).`)
    return 0
  } catch (error) {
    if (error instanceof ThresholdSettingError) throw new MaracCommandError(error.message)
    throw error
  }
}
