// Shared by the linkage training script and benchmark: synthetic rolls and children, prepared.
import { generateChildren, generateRoll } from '../src/linkage/synthetic.ts'
import type { SyntheticChild, SyntheticPupil } from '../src/linkage/synthetic.ts'
import { prepare } from '../src/linkage/normalise.ts'
import type { PreparedRecord } from '../src/linkage/normalise.ts'

export function preparePupil(p: SyntheticPupil): PreparedRecord {
  return prepare({ id: p.pupilId, firstName: p.firstName, middleNames: p.middleNames, lastName: p.lastName, dateOfBirth: p.dateOfBirth, gender: p.gender, address: p.address, postcode: p.postcode })
}

export function prepareChild(c: SyntheticChild): PreparedRecord {
  return prepare({ id: c.childId, firstName: c.firstName, middleNames: c.middleNames, lastName: c.lastName, dateOfBirth: c.dateOfBirth, gender: c.gender, address: c.address, postcode: c.postcode })
}

export function syntheticSet(pupils: number, children: number, seed: number) {
  const roll = generateRoll({ pupils, seed })
  const reported = generateChildren(roll, { children, seed: seed + 1000 })
  return { roll, children: reported }
}
