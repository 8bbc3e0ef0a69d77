// Names that are the same name: nicknames and transliteration variants, each group under one canonical
// spelling. The matcher treats a pair in one group as "known nickname or variant".

const GROUPS: string[] = [
  // transliteration variants
  'muhammad mohammed mohammad mohamed mohamad muhammed mohammod muhamed mohd mo',
  'ahmed ahmad ahmet', 'ali aly', 'hussain hussein husain hossain', 'hassan hasan', 'yusuf yousuf yousef yosef youssef',
  'ibrahim ebrahim ibraheem', 'ismail ismael', 'abdullah abdulla', 'abdul abdel', 'omar umar omer', 'osman usman uthman othman',
  'aisha ayesha aysha aishah ayeesha', 'fatima fatimah fatma', 'maryam mariam miriam maryum', 'zainab zaynab zeinab',
  'khadija khadijah', 'amina aminah', 'hamza hamzah', 'zahra zara zarah', 'hafsa hafsah', 'safiya safia sofia sophia',
  'yasmin yasmine jasmine jasmin', 'nur noor nour', 'layla leila laila leyla', 'ayaan ayan', 'rayyan rayan', 'zakariya zakaria zachariah',
  'idris idrees', 'bilal belal', 'tariq tarik', 'rehan rayhan', 'imran imraan', 'sultan sulthan',
  'mihai mihail', 'aleksander alexander aleksandr oleksandr', 'katarzyna kasia', 'jakub jacob jakob', 'wojciech wojtek',
  'mateusz matthew mateus', 'piotr peter pyotr', 'andrei andrey andrzej', 'ioana joanna', 'nikola nicola',
  'chidi chidiebube', 'oluwaseun seun', 'oluwatobi tobi', 'olumide mide', 'adebayo bayo', 'kwame kwamena',
  'siobhan shivaun', 'niamh neve', 'aoife eva', 'sean shaun shawn', 'eoin owen', 'caoimhe keeva',
  'hannah hana hanna', 'isabelle isabel isobel isabella izzy bella', 'stephen steven stephan steve',
  'catherine katherine kathryn catrin kate katie cathy kitty', 'ellie elly', 'amelie amelia millie',
  'gurpreet gurprit', 'harpreet harprit', 'jaspreet jasprit', 'mohinder mahinder',
  // English nicknames
  'william bill billy will willy liam', 'robert bob bobby rob robbie bert', 'richard rick ricky dick richie',
  'elizabeth liz lizzie lizzy beth betty eliza libby', 'margaret maggie meg peggy', 'alexander alex alec sasha xander',
  'alexandra alex lexi sandra', 'thomas tom tommy', 'james jim jimmy jamie', 'joseph joe joey', 'daniel dan danny',
  'michael mike mikey mick', 'christopher chris kit', 'nicholas nick nicky', 'benjamin ben benji', 'samuel sam sammy',
  'samantha sam', 'matthew matt', 'anthony tony', 'edward ed eddie ted teddy ned', 'charles charlie chas',
  'charlotte lottie charlie', 'jonathan jon jonny', 'john jack johnny', 'frederick fred freddie', 'henry harry hal',
  'harrison harry', 'oliver ollie olly', 'olivia liv livvy', 'joshua josh', 'nathaniel nathan nate', 'zachary zach zack',
  'rebecca becky becca', 'victoria vicky tori', 'jessica jess jessie', 'abigail abbie abby', 'gabriel gabe',
  'gabriella gabby ella', 'eleanor ellie nell nora', 'florence flo florrie', 'penelope penny', 'josephine josie jo',
  'theodore theo ted', 'archibald archie', 'frances fran frankie', 'francis frank frankie', 'lawrence larry laurie',
  'leonardo leo', 'maximilian max', 'maxwell max', 'natalie nat', 'nathan nat', 'patrick paddy pat', 'patricia patty trish',
  'susan sue susie', 'ronald ron ronnie', 'donald don donnie', 'kenneth ken kenny', 'timothy tim timmy',
  'jennifer jen jenny', 'deborah debbie deb', 'dorothy dot dottie', 'evelyn evie', 'georgia georgie', 'george georgie',
  'harriet hattie', 'isaac ike', 'madeleine maddie madeline madison', 'mohammed mo', 'raphael rafe', 'reuben ruben',
  'sebastian seb', 'tobias toby', 'valentina val', 'vincent vince vinny', 'zoe zoey'
]

function build(): Map<string, string> {
  const map = new Map<string, string>()
  for (const group of GROUPS) {
    const [canonical, ...others] = group.split(' ')
    if (!canonical) continue
    if (!map.has(canonical)) map.set(canonical, canonical)
    for (const other of others) if (!map.has(other)) map.set(other, map.get(canonical) ?? canonical)
  }
  return map
}

/** variant or nickname → its canonical name (the first of its group) */
export const NAME_EQUIVALENTS: ReadonlyMap<string, string> = build()

/** All groups a name belongs to are reduced to one; names sharing several groups ("alex", "sam") keep their first. */
export function sameNameGroup(a: string, b: string): boolean {
  if (!a || !b) return false
  const ca = NAME_EQUIVALENTS.get(a)
  const cb = NAME_EQUIVALENTS.get(b)
  if (ca !== undefined && ca === cb) return true
  // a nickname that belongs to two groups: check both directions against each group's members
  return GROUP_MEMBERS.get(a)?.has(b) ?? false
}

const GROUP_MEMBERS: Map<string, Set<string>> = (() => {
  const members = new Map<string, Set<string>>()
  for (const group of GROUPS) {
    const names = group.split(' ')
    for (const name of names) {
      let set = members.get(name)
      if (!set) members.set(name, (set = new Set()))
      for (const other of names) set.add(other)
    }
  }
  return members
})()
