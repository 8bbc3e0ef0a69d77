// Synthetic school rolls and police-reported children, for testing and benchmarking record linkage.
//
// Everything here is made up: names are drawn from frequency-weighted lists of common names in a
// superdiverse UK city, addresses from invented streets in 'B' postcode districts, identifiers from
// reserved synthetic ranges (URN 990001-999999). No real person's data is used or reproduced.
//
// generateRoll() builds households (1-5 school-age children sharing surname, address and postcode,
// twins in ~1.8% of households) and places the children at schools near home. generateChildren() plays
// the police: it reports pupils from the roll household by household with realistic recording errors,
// plus children who are not on any roll (hard cases: a preschool or home-educated sibling, or a twin
// whose twin is on the roll; and strangers). Each reported child carries its ground truth
// (truePupilId) and a list of what was done to the record (variations; see VARIATIONS).
//
// Both are deterministic from the seed (mulberry32; Math.random is never used), pure, and fast enough
// for a million pupils: names, dates and street names are shared strings, one object per row.

export interface SyntheticPupil {
  pupilId: string // 'P0000001'
  upn: string // 13 characters: a letter then 12 digits (synthetic; the letter is derived from the digits)
  urn: string // 6-digit school URN in 990001-999999
  firstName: string
  middleNames: string // '' when none
  lastName: string
  dateOfBirth: string // 'YYYY-MM-DD'
  gender: 'F' | 'M' | 'X' | ''
  address: string // '12 Acacia Road' or 'Flat 3, 12 Acacia Road'
  postcode: string // 'B12 9QT'
  householdId: string // 'H0000001'
}

export interface SyntheticChild {
  childId: string // 'C0000001'
  firstName: string
  middleNames: string
  lastName: string
  dateOfBirth: string // '' when missing
  gender: 'F' | 'M' | 'X' | ''
  address: string
  postcode: string // '' when missing
  truePupilId: string | null // the pupil this child is, or null when not on the roll
  variations: string[] // what was done to the record, in the order applied (see VARIATIONS)
}

export interface RollOptions {
  pupils: number
  seed: number
  referenceDate?: string // 'YYYY-MM-DD', default '2026-11-01'; pupils are aged 4-17 on this date
  schools?: number // default one per 450 pupils (at most 9,999)
}

export interface ChildrenOptions {
  children: number
  seed: number
  notOnRollShare?: number // default 0.15
  siblingOrTwinShare?: number // share of the not-on-roll children who are a sibling or twin of a pupil, default 0.5
  referenceDate?: string // default '2026-11-01'; use the roll's
  errorScale?: number // multiplies every recording-error rate: 0 reports every child exactly as on the roll, default 1
}

export const DEFAULT_REFERENCE_DATE = '2026-11-01'

// Every tag a SyntheticChild's variations can hold. Rates are the share of all reported children at
// errorScale 1; where a change only applies to some records (a name with a nickname, a day of 12 or
// less) it is drawn more often among those so the overall rate holds.
export const VARIATIONS = {
  // not on the roll (exactly one of these, first, for every child with truePupilId null)
  'sibling-preschool': 'a sibling of a pupil, aged 0-4 and not yet at school: same surname and address, different date of birth',
  'sibling-school-age': 'a school-age sibling of a pupil who is not on the roll (home educated, at school elsewhere): same surname and address, different date of birth',
  'twin-not-on-roll': 'the twin of a pupil, not on the roll: same surname, address and date of birth, different first name',
  stranger: 'a child unrelated to any pupil (may share common names with pupils)',
  // first name (about 8% in all)
  nickname: 'first name replaced by a common nickname (William → Bill)',
  transliteration: 'first name replaced by another spelling (Muhammad → Mohammed)',
  'known-by-middle-name': 'first name replaced by the first middle name (Muhammad Ayaan → Ayaan); 25% of Muhammads with a middle name, 1% of others',
  'first-name-typo': 'one substitution, deletion, insertion or transposition in the first name (with last-name-typo, 5%)',
  'last-name-typo': 'one substitution, deletion, insertion or transposition in the last name',
  'names-swapped': 'first and last names swapped (0.5%)',
  // middle names
  'middle-name-dropped': 'middle names left out (25% of those who have one)',
  'middle-name-added': 'a middle name the roll does not have (3% of those without)',
  // surname (3% in all)
  'surname-other-parent': "the other parent's surname",
  'surname-double-barrelled': 'surname double-barrelled with the other parent\'s',
  'surname-half-dropped': 'one half of a double-barrelled surname dropped',
  'surname-transliteration': 'another spelling of the surname (Hussain → Hussein, Chen → Chan; 1%)',
  // date of birth
  'dob-missing': 'date of birth not recorded (1%)',
  'dob-day-month-swapped': 'day and month swapped, only when the day is 12 or less (2%)',
  'dob-digit-wrong': 'one digit of the date wrong, still a valid date (2%)',
  // the rest
  'gender-missing': 'gender not recorded (20%)',
  moved: 'the family moved: new address and postcode, for every child in the report (7%)',
  'postcode-missing': 'postcode not recorded (3%)',
  case: 'names in capitals or lower case (surname in capitals, as many police systems hold it)',
  'accents-stripped': 'accents and special letters dropped (Zoë → Zoe, Wójcik → Wojcik)',
  apostrophe: "apostrophe dropped, spaced or typographic (O'Brien → OBrien, O Brien, O’Brien)",
  hyphen: 'hyphen replaced by a space or dropped (Smith-Jones → Smith Jones, Al-Hassan → AlHassan)',
  whitespace: 'stray spaces around or inside names',
  'postcode-format': 'postcode without its space, in lower case or with a double space',
  'address-format': "address abbreviated or re-cased (Road → Rd, 'Flat 3, 12' → '3/12')"
} as const

export type VariationTag = keyof typeof VARIATIONS

// ---------------------------------------------------------------------------------------------------
// Random numbers

type Rng = () => number

function mix32(value: number): number {
  let x = value >>> 0
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x >>> 0
}

// mulberry32, seeded from the whole part of any finite number and a stream number.
function makeRng(seed: number, stream: number): Rng {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new RangeError('seed must be a finite number')
  const whole = Math.trunc(seed)
  let state = mix32((whole >>> 0) ^ mix32((Math.floor(whole / 4294967296) >>> 0) ^ mix32(stream + 0x9e3779b9)))
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function below(rng: Rng, n: number): number {
  return Math.floor(rng() * n)
}

function oneOf<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!
}

// ---------------------------------------------------------------------------------------------------
// Names. Each list is written most common first; a name's weight is (rank + 5)^-0.7, times the
// multiplier after a colon ('Muhammad:4'). Community weights are rough shares of school-age children.

interface NameTable {
  names: string[]
  cumulative: Float64Array
  total: number
}

function nameTable(spec: string): NameTable {
  const weights = new Map<string, number>()
  spec.trim().split(/\s+/).forEach((token, rank) => {
    const [raw, multiplier] = token.split(':') as [string, string | undefined]
    const name = raw.replaceAll('_', ' ')
    weights.set(name, (weights.get(name) ?? 0) + (multiplier === undefined ? 1 : Number(multiplier)) * (rank + 5) ** -0.7)
  })
  const names = [...weights.keys()]
  const cumulative = new Float64Array(names.length)
  let total = 0
  names.forEach((name, i) => {
    total += weights.get(name)!
    cumulative[i] = total
  })
  return { names, cumulative, total }
}

function pickName(table: NameTable, rng: Rng): string {
  const x = rng() * table.total
  const c = table.cumulative
  let lo = 0
  let hi = c.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (c[mid]! > x) hi = mid
    else lo = mid + 1
  }
  return table.names[lo]!
}

type Style = 'plain' | 'sikh' | 'vietnamese' | 'polish' | 'roma'

interface CommunitySpec {
  key: string
  weight: number
  male: string
  female: string
  surnames: string
  femaleSurnames?: string // surnames many girls take instead of the family's (Begum)
  femaleSurnameShare?: number
  middleShare: number // share of children with a middle name
  borrow?: [string, number] // [community, share]: first names often come from another community's list
  doubleBarrelShare?: number
  style?: Style
}

const COMMUNITY_SPECS: CommunitySpec[] = [
  {
    key: 'white-british',
    weight: 0.36,
    middleShare: 0.65,
    doubleBarrelShare: 0.03,
    male: `Oliver:1.3 Jack:1.3 Harry:1.2 George Charlie Jacob Thomas Noah Oscar William James Leo Alfie Joshua Freddie
      Archie Henry Ethan Arthur Theo Isaac Alexander Joseph Samuel Daniel Max Lucas Logan Riley Mason Finley Harrison
      Dylan Tyler Jayden Teddy Tommy Reggie Albie Louie Lewis Callum Ryan Liam Kai Toby Edward Benjamin Sebastian Jenson
      Frankie Ronnie Elijah Bobby Jude Stanley Rory Hugo Luke Matthew Adam Nathan Jake Bradley Jamie Cameron Owen Connor
      Kieran Reece Rhys Michael Christopher David Robert Zachary Ellis Harvey Louis Elliot Ollie Alfred Frederick Jesse
      Sonny Charles Caleb Felix Ezra Jasper Brandon Kyle Aaron Declan Jordan Ashton Alex Billy Harley Lennon Ralph Jaxon
      Rowan Tobias Austin Blake Carter Ben Sam Joe Nathaniel Gabriel Anthony Andrew Jonathan John Peter Richard Stephen
      Timothy Patrick Leon Kian Corey Alfie-James Tommy-Lee Maximilian Theodore Archibald Elliott Aiden Brody Roman Jenson-Lee`,
    female: `Olivia:1.3 Amelia:1.3 Isla Ava Emily Sophie Grace Lily Mia Poppy Ella Isabella Jessica Evie Chloe Charlotte
      Ruby Freya Sophia Daisy Phoebe Holly Megan Lucy Ellie Millie Evelyn Florence Matilda Rosie Willow Ivy Harper
      Scarlett Erin Lola Layla Elsie Isabelle Hannah Lauren Amber Katie Eva Imogen Maisie Molly Summer Alice Elizabeth
      Georgia Abigail Bethany Paige Leah Zoe Jasmine Caitlin Rebecca Eleanor Harriet Darcey Esme Aria Violet Maya Sienna
      Lexi Bella Thea Mabel Ada Hallie Iris Nancy Penelope Rosa Victoria Emma Gracie Tilly Amelie Eliza Beatrice Heidi
      Skye Lacey Lily-Mae Lacey-Mae Tia-Mae Ellie-May Lily-Rose Mollie Hollie Demi Kayla Courtney Shannon Chelsea Jade
      Keira Brooke Madison Alexandra Katherine Natalie Samantha Georgina Francesca Zoë Libby Harmony Darcie Aurora Luna
      Hope Faith Robyn Jennifer Kimberley Abbie Lottie Ruby-Mae Maddison Tegan Rhianna Elise Annabelle Clara Edith Eloise
      Catherine Amélie`,
    surnames: `Smith:1.5 Jones:1.3 Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright
      Walker White Edwards Hughes Green Hall Lewis Harris Clarke Jackson Wood Turner Martin Cooper Hill Ward Morris Moore
      Clark King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths
      Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Marshall Anderson Simpson
      Ellis Adams Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Hunt Campbell Matthews Owen Palmer Holmes Mills
      Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Graham Pearson Fletcher Walsh
      Gibson Howard Andrews Stewart Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole
      Atkinson Bradley Spencer Dawson Ball Burton Watts Rose Booth Perry Grant Wells Armstrong Francis Rees Hayes Hart
      Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid
      Holland Hawkins Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Dean Lane Cooke Bates
      Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton
      Sutton McDonald Yates Hodgson Robson Curtis Hopkins Harper Coleman Watkins Moss Chambers Griffin Sharp Hardy Wheeler
      Potter Osborne Johnston Gordon Wallace Jordan Hutchinson Rowe May Pritchard Gilbert Willis Higgins Read Miles
      Stevenson Hammond Arnold Buckley Walters Hewitt Barber Nelson Slater Austin Whitehouse Hickman Cartwright Bayliss
      Parkes Rowley Tonks Guest Bissell Hadley Pountney Round Bache Jukes Homer Hingley Darby Wootton O'Brien MacDonald`
  },
  {
    key: 'irish',
    weight: 0.02,
    middleShare: 0.6,
    doubleBarrelShare: 0.02,
    borrow: ['white-british', 0.55],
    male: `Sean Conor Ciaran Cian Oisin Niall Eoin Padraig Darragh Patrick Aidan Ronan Seán Cillian Tadhg Fionn Liam Declan
      Colm Shane Kevin Dermot Cathal Ruairi Oisín Eamon Finbar Ciarán Cormac Donal`,
    female: `Aoife Niamh Siobhan Caoimhe Saoirse Ciara Roisin Orla Sinead Róisín Grainne Aisling Clodagh Aine Sinéad
      Eabha Ailbhe Mairead Bridget Nuala Cara Shauna Fiadh Maeve Erin Keeva Muireann Sorcha`,
    surnames: `Murphy Kelly O'Brien O'Connor O'Neill Walsh Byrne Ryan O'Sullivan McCarthy Doyle Lynch Gallagher Quinn
      Brennan Kavanagh Nolan Flanagan O'Reilly Fitzgerald Connolly Donnelly McDonagh O'Donnell Duffy Brady Maguire Keane
      Power Hennessy Dolan Farrell O'Mahony Kennedy Moran Sweeney Hogan Cullen Carroll McGrath`
  },
  {
    key: 'pakistani',
    weight: 0.2,
    middleShare: 0.35,
    femaleSurnameShare: 0.2,
    male: `Muhammad:4 Mohammed:2 Ibrahim Mohammad Yusuf Adam Ayaan Zain Hamza Muhammed Ali Usman Bilal Haris Rayyan Zayn Musa
      Idris Zakariya Ismail Umar Abdullah Ahmed Hassan Hussain Aryan Eesa Isa Haider Imran Faisal Arham Shayan Rehan Saad
      Talha Huzaifa Danyal Sulaiman Younis Zohaib Amaan Ayan Harris Aahil Yousuf Hamzah Ibraheem Abdul Asad Kashif
      Waqas Zubair Junaid Rizwan Shahzad Nabeel Sameer Arslan Adeel Azaan Raheem Zaid Mikail Ilyas`,
    female: `Aisha Maryam Fatima Zainab Ayesha Hafsa Khadija Amina Zara Inaya Aleena Hania Eman Anaya Manahil Mahnoor Noor
      Iqra Sana Ayat Hira Alishba Aiza Aleeza Ruqayyah Safa Marwa Sumayyah Anisa Mariam Zoya Amna Laiba Rimsha Hafsah
      Sadia Asma Nimra Maira Alina Zahra Umaima Hiba Iman Aliza Hannah Sofia Mehwish Rabia Saira Samina Nadia Bushra
      Kiran Shazia Sidra Khadijah Anum Hajra Zunaira`,
    surnames: `Khan:3 Hussain:2.5 Ahmed:2 Ali:2 Akhtar:1.3 Mahmood:1.3 Iqbal Shah Mohammed Rehman Rahman Butt Aslam Hanif
      Malik Mirza Javed Sadiq Younis Bashir Raza Arshad Nawaz Riaz Qureshi Zaman Shafiq Latif Anwar Saleem Ashraf Rafiq
      Yousaf Abbas Haider Tariq Siddique Aziz Rashid Ilyas Chaudhry Mehmood Hussein Mahmud Ahmad Sabir Sharif Karim
      Akram Nazir Mughal Awan Rasool Khaliq Majid Shahzad Amin Safdar`,
    femaleSurnames: 'Begum:3 Bibi:2 Akhtar Kauser Parveen Kausar Bi'
  },
  {
    key: 'bangladeshi',
    weight: 0.05,
    middleShare: 0.3,
    femaleSurnameShare: 0.35,
    male: `Mohammed:3 Muhammad:2 Abdul Rahim Ayaan Arafat Rayhan Tahmid Sami Nabil Ishmam Tanvir Raiyan Shahid Sufyan Ashraf
      Zubair Jamal Junaid Yasin Abdur Rafi Fahim Imran Mahir Ibrahim Adnan Sayem Shakil Rohan Arif Rahat Mahdi Raihan
      Samir Tamim Nayeem Saif Ridwan Mustafa Yahya`,
    female: `Fatema Tasnim Sumaiya Nusrat Ruksana Sabrina Tahmina Jannat Samiha Mehreen Farhana Sadia Rumana Nafisa Tahira
      Shirin Sharmin Ayesha Halima Tanzila Afia Mim Lamia Rafia Israt Anika Nabila Jasmin Shanaz Sumaya Maryam Aisha
      Khadija Raisa Tasfia Nazia Rukhsana Safiya Labiba Marium Humaira`,
    surnames: `Miah:2 Uddin:2 Ahmed:2 Islam:1.5 Rahman:1.5 Ali Hoque Hossain Chowdhury Alam Khan Hussain Ullah Haque
      Choudhury Karim Sarkar Molla Talukder Sheikh Mannan Rashid Kabir Hasan Mia Mahmud Akbar Siddiqui Bhuiyan Sikder
      Mridha Mondal`,
    femaleSurnames: 'Begum:4 Khatun:2 Akter Nessa Bibi Khanom Sultana'
  },
  {
    key: 'indian',
    weight: 0.035,
    middleShare: 0.3,
    borrow: ['white-british', 0.05],
    male: `Arjun Aarav Rohan Krish Dev Rahul Vivaan Aryan Ravi Nikhil Jay Kiran Sai Ishaan Vihaan Rishi Neel Yash Om Anish
      Ajay Harsh Aditya Pranav Sahil Vikram Karan Kunal Raj Shiv Akash Veer Dhruv Ansh Jeevan Kishan Mihir Parth Hari
      Tejas Arnav Ayush Abhishek Krishna Viraj Deven Ronak`,
    female: `Priya Anaya Diya Aanya Isha Riya Kavya Saanvi Anika Pooja Nisha Meera Tara Shreya Aditi Divya Jaya Asha Pari
      Navya Ananya Ishani Neha Simran Sonia Krisha Myra Avni Janvi Khushi Mira Radhika Sanjana Tanvi Vidhi Aarohi Ishita
      Prisha Roshni Hema Bhavna Priyanka`,
    surnames: `Patel:4 Shah:1.5 Sharma Mistry Kumar Parmar Chauhan Lad Solanki Modi Joshi Mehta Desai Gupta Verma Chopra
      Bhatt Thakkar Pandya Rana Rathod Makwana Vaghela Naik Pillai Nair Reddy Rao Iyer Chandra Jain Kapoor Malhotra
      Bhardwaj Sood Anand Mahey Suri Tailor Gohil Vyas Trivedi Dave Soni Kotecha Lakhani Raval`
  },
  {
    key: 'sikh',
    weight: 0.03,
    middleShare: 0.2,
    style: 'sikh',
    male: `Gurpreet Jaskaran Manpreet Arjan Harjot Gurdeep Jasdeep Navdeep Sukhdeep Amandeep Jaspreet Harvinder Ranveer
      Tejveer Gurveer Jaivir Sahib Fateh Ekam Arjun Harkirat Jasraj Karanveer Manveer Parambir Rajveer Sukhraj Taranjit
      Jovan Kabir Armaan Gurjot Harman`,
    female: `Simran Harleen Jasleen Navneet Manjot Gurleen Amrit Jaspreet Harnoor Mehak Ravneet Sukhleen Kiranjit Japji
      Jasmeen Prabhleen Gurpreet Manpreet Amandeep Harpreet Navreet Sharan Tanveer Inderpreet Jasmine Anmol Seerat Nimrat
      Asees`,
    surnames: `Sandhu Gill Dhillon Sidhu Bains Johal Grewal Atwal Dhaliwal Sahota Bassi Virdi Kang Mann Hayer Rai Randhawa
      Bhogal Chana Sangha Purewal Heer Kalsi Takhar Mahal Dosanjh Uppal Sohal Bhamra Khera Samra Sohi Cheema Bhatti
      Basra Gahir`
  },
  {
    key: 'somali',
    weight: 0.03,
    middleShare: 0.25,
    male: `Mohamed:3 Abdi Ahmed Abdirahman Abdullahi Mustafe Hassan Yusuf Ayub Ilyas Khalid Abdirizak Mahad Liban Hamza
      Zakariye Ismail Omar Guled Abdikarim Bilal Yahye Mukhtar Idiris Abdulkadir Saed Faisal Mohamud Sharmarke Ayanle
      Abdiaziz Hamse Bashir`,
    female: `Hodan Amina Fadumo Hibo Ayan Ifrah Ikran Sagal Hanan Nasra Sahra Samira Hamdi Asha Istahil Ubah Deeqa Najma
      Sumaya Layla Muna Farhiya Khadra Maryan Anisa Hafsa Hawa Rahma Sabrin Zamzam Nimco Filsan Kowsar Ilhan Safiya`,
    surnames: `Mohamed:2 Ahmed:1.5 Ali:1.5 Hassan Abdi Farah Hussein Omar Ibrahim Osman Jama Warsame Yusuf Mohamud
      Abdullahi Aden Nur Hersi Elmi Duale Egal Ismail Dahir Musse Said Isse Gedi Hirsi Awale Abdulle Noor Adan Salah
      Guled Haji Abdirahman Barre Shire`
  },
  {
    key: 'nigerian',
    weight: 0.025,
    middleShare: 0.7,
    borrow: ['white-british', 0.35],
    male: `David Daniel Samuel Emmanuel Joshua Oluwaseun Oluwatobi Ayomide Tobi Chidi Chinedu Emeka Chukwuemeka Ifeanyi
      Olumide Tolu Oluwafemi Femi Oluwatosin Tosin Praise Jesse Tunde Kayode Segun Obinna Somto Kamsi Toluwani
      Fiyinfoluwa Ifeoluwa Temitope Jeremiah Elijah Michael Victor Godwin Chibuike Ebuka Dayo Timilehin Inioluwa`,
    female: `Favour Blessing Precious Oluwadamilola Damilola Ayomide Temitope Tolulope Funmilayo Chiamaka Adaeze Chioma
      Ngozi Amarachi Ifeoma Ifeoluwa Adunni Folake Yetunde Bukola Eniola Simisola Morenike Kemi Zainab Mercy Grace
      Deborah Esther Abigail Princess Goodness Peace Oluwatoyin Tiwalade Feyisara Anuoluwapo Ebunoluwa Mojisola Jemima`,
    surnames: `Okafor Adeyemi Okonkwo Adebayo Olawale Ogunleye Eze Nwosu Chukwu Okoro Afolabi Balogun Bello Ibrahim
      Adewale Oladipo Onyeka Obi Nwachukwu Adeleke Akinola Ogundipe Ojo Olaniyan Okeke Adeola Oyewole Babatunde
      Ogunbiyi Adesina Olatunji Oyebanji Nnamdi Ugwu Onuoha Ezeh Akande Salami Oni Fashola`
  },
  {
    key: 'ghanaian',
    weight: 0.01,
    middleShare: 0.6,
    borrow: ['white-british', 0.45],
    male: 'Kwame Kofi Kwabena Kwaku Yaw Kojo Kwesi Nana Kwadwo Kwasi Ebo Fiifi Nii Kobina Prince Emmanuel Isaac Richard Bernard Samuel',
    female: `Ama Akosua Abena Afia Adwoa Efua Esi Yaa Akua Nana Adjoa Efia Afua Maame Naa Aba Dede Gifty Comfort Patience
      Josephine Priscilla Vanessa`,
    surnames: `Mensah Boateng Owusu Asante Osei Appiah Agyeman Amoah Acheampong Antwi Ofori Darko Ansah Quaye Adjei Opoku
      Sarpong Kwarteng Addo Asamoah Bonsu Danquah Frimpong Gyamfi Nkrumah Ampofo Tetteh Amponsah Yeboah Badu`
  },
  {
    key: 'caribbean',
    weight: 0.04,
    middleShare: 0.55,
    doubleBarrelShare: 0.04,
    borrow: ['white-british', 0.45],
    male: `Tyrese Jermaine Kyrie Malachi Marcus Jaden Jahmai Kareem Tyreke Andre Isaiah Tremaine Deshawn Kaiden Jayden
      Elijah Josiah Micah Reuben Nathaniel Jerome Dwayne Leon Aaron Kemar Jamal Romario Shaquille Delroy Tyrell Zion
      Ezekiel Kymani Jalen Jayce Kobe Trey Devon`,
    female: `Aaliyah Shanice Tia Jada Kiara Nia Imani Leah Tianna Shaniah Kayla Jayda Amani Destiny Precious Keisha Renée
      Renee Chantelle Simone Nevaeh Tiana Shaniya Aliyah Zuri Jamila Naomi Ruth Jessica Serena Alicia Kadisha Tamara
      Monique Jasmine Shantel Ashanti Kezia Makayla`,
    surnames: `Campbell Brown Williams Johnson Thompson Robinson Francis Henry Clarke Grant Reid Lewis Morgan Walker
      Bennett Gordon Simpson Forbes Samuels McKenzie Powell Richards Edwards Sinclair Blake Barnes Dixon Spencer Hamilton
      Gayle Anderson Wright Stewart Thomas Davis Lawrence Bailey Facey Brissett Hylton Ellis Palmer Douglas Beckford
      Fraser Lindo Bryan`
  },
  {
    key: 'polish',
    weight: 0.03,
    middleShare: 0.3,
    style: 'polish',
    borrow: ['white-british', 0.05],
    male: `Jakub Kacper Szymon Filip Jan Antoni Wojciech Mateusz Michał Bartosz Adam Dawid Oskar Igor Piotr Tomasz Paweł
      Łukasz Aleksander Franciszek Nikodem Wiktor Maksymilian Kamil Krzysztof Marcel Dominik Patryk Mikołaj Tymon
      Stanisław Leon Hubert Ignacy Miłosz Karol Artur Daniel Marek`,
    female: `Zuzanna Julia Maja Zofia Hanna Lena Alicja Maria Amelia Oliwia Wiktoria Natalia Aleksandra Emilia Gabriela
      Martyna Weronika Nikola Kinga Magdalena Karolina Agnieszka Małgorzata Katarzyna Joanna Patrycja Paulina Laura Nadia
      Łucja Antonina Pola Liliana Klaudia Marta Ewa Anna Dominika Kamila Milena`,
    surnames: `Nowak:1.5 Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański Woźniak Dąbrowski
      Kozłowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski Michalski Król Wieczorek
      Jabłoński Wróbel Nowicki Majewski Olszewski Stępień Malinowski Jaworski Adamczyk Dudek Zając Pawlak Witkowski
      Walczak Sikora Baran Rutkowski Górski Ostrowski Czarnecki Sadowski Zawadzki`
  },
  {
    key: 'romanian',
    weight: 0.025,
    middleShare: 0.25,
    borrow: ['white-british', 0.05],
    male: `Andrei Alexandru David Gabriel Ștefan Luca Mihai Ionuț Darius Matei Cristian Florin Marius Vlad Adrian Răzvan
      Bogdan Sebastian Denis Eduard Robert Rareș Tudor Iustin Claudiu Ionel Daniel Constantin Nicolae Sorin Cosmin Alin
      Paul Victor Emanuel`,
    female: `Maria Ioana Elena Andreea Alexandra Ana Bianca Daria Sofia Antonia Denisa Alesia Roxana Georgiana Larisa Diana
      Mădălina Raluca Cristina Anastasia Ilinca Teodora Irina Carina Adelina Delia Ionela Florentina Gabriela Iulia
      Ariana Miruna Casandra Medeea Emilia`,
    surnames: `Popescu Ionescu Popa Pop Radu Dumitru Stan Stoica Gheorghe Matei Ciobanu Rusu Munteanu Constantin Marin
      Tudor Moldovan Florea Dinu Lungu Mihai Barbu Nistor Ilie Lazăr Sârbu Toma Zamfir Ene Cristea Dobre Ursu Preda
      Anghel Vasile Neagu Iordache Niculescu Stănescu Bălan Grigore Oprea Dragomir`
  },
  {
    key: 'roma',
    weight: 0.01,
    middleShare: 0.15,
    style: 'roma',
    borrow: ['white-british', 0.15],
    male: `Denis Mario Patrik Dominik Roman Marek Lukas Samuel Kevin Erik Tomas Radek Milan Adrian Richard Josef Stefan
      Robert Jozef Martin Daniel Vojtech Rudolf Ladislav Dusan Kristian`,
    female: `Kristina Vanesa Nikola Monika Veronika Simona Denisa Klaudia Andrea Sabina Natalia Michaela Petra Renata
      Jasmina Nikoleta Adriana Dominika Lucia Margita Silvia Sandra Zaneta Vanessa Melania`,
    surnames: `Horváth Balog Lakatos Gabor Kováč Oláh Kaleja Dunka Sarkozi Pompa Bandy Goral Ziga Ferko Miko Červeňák
      Kurej Tancos Giňa Demeter Rostas Stojka Lacko Kotlar Bartos Sivak Kokena Mirga Gazi Bihari Danihel`
  },
  {
    key: 'chinese',
    weight: 0.01,
    middleShare: 0.4,
    borrow: ['white-british', 0.5],
    male: `Ethan Jayden Ryan Justin Kevin Jason Oscar Lucas Marcus Tony Kelvin Alvin Wing Ho Jun Hao Zihan Yuxuan Haoran
      Zhi Wei Jian Ming Chun Kai Hong Yi Tian Yu Bo Eason Aaron`,
    female: `Chloe Jessica Michelle Vivian Cindy Grace Emily Jenny Joyce Winnie Mei Xin Yan Ling Yi Zixuan Yutong Ka Hui
      Jing Xiaoyu Wen Qing Lok Man Wai Kiki Fiona Cherry Angel`,
    surnames: `Chen Wang Li Zhang Liu Yang Huang Zhao Wu Zhou Lin Chan Wong Cheung Lee Lam Ho Ng Tang Yip Leung Lau Chow Mok
      Tsang Kwok Fung Tam Cheng Yeung Xu Sun Guo Ma Zhu Hu`
  },
  {
    key: 'vietnamese',
    weight: 0.005,
    middleShare: 0.2,
    style: 'vietnamese',
    borrow: ['white-british', 0.25],
    male: 'Minh Anh Duc Huy Khang Bao Nam Long Tuan Phuc Quang Hoang Thanh Dung Kiet Vinh Khoa Hieu Dat Phong Son Tri Thien Trung',
    female: 'Linh Ngoc Trang Thao Mai Lan Huong Hoa Nhi Vy My Thu Phuong Hanh Yen Tram Chau Han Anh Ha Quynh Diem Nga Tien',
    surnames: 'Nguyen:4 Tran:1.5 Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Truong Dinh Mai Lam Luong Trinh Cao Ta'
  },
  {
    key: 'arabic',
    weight: 0.025,
    middleShare: 0.3,
    borrow: ['white-british', 0.05],
    male: `Mohammed:2 Ahmed Omar Ali Yousef Abdullah Khalid Hamza Adam Ibrahim Mustafa Karim Tariq Sami Youssef Amir Zaid
      Majed Rami Fares Hassan Hussein Osama Ayman Nabil Adel Waleed Saif Anas Bilal Yahya Hamoud Faris Mahmoud
      Abdulrahman Salem Jamal Nasser Ammar Mazen`,
    female: `Fatima Maryam Nour Sara Layla Aya Hana Salma Rania Lina Yasmin Mariam Jana Reem Sama Malak Hala Dana Ruba Lujain
      Rahaf Shahd Asma Huda Amal Farah Dalia Sarah Zainab Iman Rawan Ghada Nada Haya Sidra Joud Lamar Tala Razan Wafa`,
    surnames: `Al-Hassan Al-Ali Al-Ahmad Saleh Mohammed Abdullah Hassan Ali Ahmed Al-Saadi Al-Jaber Nasser Haddad Khalil
      Mansour Al-Amri Qasim Hamid Al-Shami Yassin Hamdan Issa Suleiman Nasr Aziz Al-Sayed Othman Jaber Farouk Darwish
      Al-Obaidi Al-Rubaie Al-Khafaji Saeed Al-Hakimi Alawi Ghaleb Al-Tamimi Kassem Salim`
  },
  {
    key: 'kurdish',
    weight: 0.01,
    middleShare: 0.25,
    borrow: ['arabic', 0.25],
    male: `Aram Rebin Karwan Dilan Hawre Ari Shwan Zana Rawand Hemin Sherwan Baran Azad Hoger Kawa Soran Dana Ranj Alan
      Hama Rekan Shkar Diyar Lawen Bryar Peshawa Rezhwan Hardi Sarhad`,
    female: `Shilan Rojin Avin Dilan Hana Lana Rozhin Nazdar Hevi Shno Sara Diana Rezan Berivan Ronak Zhino Delal Shadan
      Darya Lava Helin Dilnaz Tavga Zhiyan Ashti Chra Sazan Bahar Niga Rosa`,
    surnames: `Ahmed Mohammed Hama Rashid Aziz Karim Salih Qadir Rasul Omer Mahmoud Hussein Abdullah Mustafa Ali Hasan Jalal
      Faraj Khdir Sharif Amin Osman Abdulrahman Majid Kareem Ismail Rahim Saeed Hamasalih Bakir Sabir`
  },
  {
    key: 'eritrean',
    weight: 0.01,
    middleShare: 0.3,
    borrow: ['white-british', 0.1],
    male: `Yonas Dawit Samuel Daniel Filmon Robel Mussie Abel Henok Natnael Mikael Yohannes Kidus Biniam Amanuel Eyob Nahom
      Merhawi Simon Teklit Yosief Kibrom Aron Semere Tesfalem Milkias Bereket Haben Solomon Michael`,
    female: `Senait Helen Selam Ruth Rahel Hiwet Mahlet Saba Eden Lidya Feven Yordanos Betelhem Hanna Delina Semhar Winta
      Luwam Meron Tsion Sara Elsa Mebrat Rigat Abigail Eyerusalem Salem Segen Hermon Danait`,
    surnames: `Tesfay Kidane Haile Gebremedhin Tekle Berhane Woldu Mehari Yohannes Ghebreyesus Tesfamariam Habte Negash
      Asmerom Gebru Kahsay Tewolde Andemariam Abraha Fitsum Mebrahtu Zerai Ghirmay Mesfin Hagos Tesfai Kiflom
      Weldemichael Gebreegziabher Araya`
  }
]

const MIXED_HOUSEHOLD_SHARE = 0.075 // first names from two communities, surname from one

interface Community {
  key: string
  male: NameTable
  female: NameTable
  surnames: NameTable
  femaleSurnames: NameTable | null
  femaleSurnameShare: number
  middleShare: number
  borrow: Community | null
  borrowShare: number
  doubleBarrelShare: number
  style: Style
}

const COMMUNITIES: Community[] = COMMUNITY_SPECS.map((spec) => ({
  key: spec.key,
  male: nameTable(spec.male),
  female: nameTable(spec.female),
  surnames: nameTable(spec.surnames),
  femaleSurnames: spec.femaleSurnames === undefined ? null : nameTable(spec.femaleSurnames),
  femaleSurnameShare: spec.femaleSurnameShare ?? 0,
  middleShare: spec.middleShare,
  borrow: null,
  borrowShare: spec.borrow?.[1] ?? 0,
  doubleBarrelShare: spec.doubleBarrelShare ?? 0,
  style: spec.style ?? 'plain'
}))
COMMUNITY_SPECS.forEach((spec, i) => {
  if (spec.borrow) COMMUNITIES[i]!.borrow = COMMUNITIES.find((c) => c.key === spec.borrow![0]) ?? null
})
const WHITE_BRITISH = COMMUNITIES[0]!

const COMMUNITY_CUMULATIVE = (() => {
  const cumulative = new Float64Array(COMMUNITY_SPECS.length)
  let total = 0
  COMMUNITY_SPECS.forEach((spec, i) => {
    total += spec.weight
    cumulative[i] = total
  })
  return cumulative.map((c) => c / total)
})()

function pickCommunity(rng: Rng): Community {
  const x = rng()
  for (let i = 0; i < COMMUNITY_CUMULATIVE.length; i++) if (x < COMMUNITY_CUMULATIVE[i]!) return COMMUNITIES[i]!
  return COMMUNITIES[COMMUNITIES.length - 1]!
}

// Lower case, accents and special letters folded to ASCII: the form the tables below are keyed by.
const SPECIAL_LETTERS: Record<string, string> = { ł: 'l', Ł: 'L', ø: 'o', Ø: 'O', đ: 'd', Đ: 'D', ß: 'ss', æ: 'ae', Æ: 'AE', ı: 'i' }

function foldAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[łŁøØđĐßæÆı]/g, (c) => SPECIAL_LETTERS[c] ?? c)
}

const NAME_KEYS = new Map<string, string>()

function nameKey(name: string): string {
  let key = NAME_KEYS.get(name)
  if (key === undefined) {
    key = foldAccents(name).toLowerCase()
    if (NAME_KEYS.size >= 100_000) NAME_KEYS.clear()
    NAME_KEYS.set(name, key)
  }
  return key
}

// Which community a first name or surname most likely comes from (the first community listing it).
const FIRST_NAME_COMMUNITY = new Map<string, Community>()
const SURNAME_COMMUNITY = new Map<string, Community>()
for (const community of COMMUNITIES) {
  for (const name of [...community.male.names, ...community.female.names]) if (!FIRST_NAME_COMMUNITY.has(nameKey(name))) FIRST_NAME_COMMUNITY.set(nameKey(name), community)
  for (const name of community.surnames.names) if (!SURNAME_COMMUNITY.has(nameKey(name))) SURNAME_COMMUNITY.set(nameKey(name), community)
}

function communityOf(firstName: string, lastName: string): Community {
  return FIRST_NAME_COMMUNITY.get(nameKey(firstName)) ?? SURNAME_COMMUNITY.get(nameKey(lastName)) ?? WHITE_BRITISH
}

// Surnames only ever given to girls (Begum), and the Sikh and Vietnamese gendered names.
const FEMALE_ONLY_SURNAMES = new Set(['begum', 'bibi', 'bi', 'khatun', 'akter', 'nessa', 'khanom', 'sultana', 'kauser', 'kausar', 'parveen', 'kaur'])

// ---------------------------------------------------------------------------------------------------
// Spelling variants and nicknames, lower case with accents folded (nameKey form), canonical → others.
// A name's variant group is the canonical name and all its variants; any member may stand for another.

export const NAME_VARIANTS: Record<string, string[]> = {
  // first names
  muhammad: ['mohammed', 'mohammad', 'mohamed', 'muhammed', 'mohamad', 'mohammod', 'muhamad'],
  ahmed: ['ahmad', 'ahmet', 'ahmid'],
  aisha: ['ayesha', 'aysha', 'aishah', 'ayisha', 'aisah'],
  yusuf: ['yousuf', 'yousef', 'yusef', 'youssef', 'yosef', 'yusif', 'yousaf'],
  ibrahim: ['ebrahim', 'ibraheem', 'ibrahem'],
  hussain: ['hussein', 'husain', 'hossain', 'hosain', 'husein'],
  hassan: ['hasan', 'hassen'],
  fatima: ['fatimah', 'fatema', 'fathima', 'faatima'],
  maryam: ['mariam', 'maryum', 'mariyam', 'maryan', 'marium'],
  zainab: ['zaynab', 'zenab', 'zaineb'],
  khadija: ['khadijah', 'khadeeja', 'khadeja'],
  abdullah: ['abdulla', 'abdallah', 'abdullahi'],
  abdulrahman: ['abdirahman', 'abdurrahman', 'abdelrahman', 'abdul-rahman'],
  mustafa: ['mustapha', 'mustafe', 'mostafa'],
  umar: ['omar', 'omer', 'oumar'],
  usman: ['osman', 'othman', 'uthman'],
  zakariya: ['zakaria', 'zakariyya', 'zakariye', 'zakariyah'],
  ismail: ['ismael', 'esmail', 'ismaeel'],
  yasmin: ['yasmine', 'yasmeen', 'jasmin'],
  sumaya: ['sumaiya', 'sumayyah', 'sumayya', 'sumaiyah'],
  amina: ['aminah', 'ameena', 'aamina'],
  ruqayyah: ['ruqaya', 'rukaya', 'ruqayah', 'ruqayya'],
  hafsa: ['hafsah', 'hafza'],
  iman: ['eman', 'imaan'],
  zayn: ['zain', 'zayne'],
  isa: ['eesa', 'esa', 'issa', 'eisa'],
  musa: ['moosa', 'mousa', 'musse'],
  idris: ['idrees', 'idriss', 'idiris'],
  bilal: ['belal'],
  hamza: ['hamzah', 'hamsa', 'hamse'],
  rayyan: ['rayan', 'raiyan', 'rayhan', 'raihan'],
  ayaan: ['ayan', 'aayan'],
  anaya: ['anaaya', 'annaya'],
  inaya: ['inayah', 'enaya'],
  aleena: ['alina', 'aleenah'],
  noor: ['nur', 'nour'],
  layla: ['leila', 'laila', 'leyla', 'lailah', 'laylah'],
  hannah: ['hanna', 'hana'],
  sarah: ['sara'],
  yahya: ['yahye', 'yehya'],
  younis: ['younes', 'yunus', 'younus'],
  sulaiman: ['suleiman', 'sulayman', 'suleman'],
  danyal: ['daniyal', 'danial'],
  mikail: ['mikael', 'mikaeel', 'mikhail'],
  ilyas: ['elias', 'ilias'],
  zakir: ['zaker'],
  tasnim: ['tasneem'],
  nusrat: ['nusrath'],
  ruksana: ['rukhsana', 'ruksanah'],
  tahmina: ['tahmeena'],
  safiya: ['safia', 'safiyah', 'saffiyah'],
  halima: ['halimah', 'haleema'],
  yohannes: ['yohanes', 'johannes'],
  filmon: ['philemon'],
  natnael: ['nathnael', 'natanael'],
  senait: ['senayt'],
  arav: ['aarav'],
  krish: ['krrish'],
  vivaan: ['vivan'],
  saanvi: ['sanvi'],
  kavya: ['kaavya'],
  diya: ['dia'],
  riya: ['ria', 'reeya'],
  ishaan: ['ishan'],
  jacob: ['jakub', 'jakob'],
  alexander: ['aleksander', 'alexandru', 'aleksandr'],
  victoria: ['wiktoria', 'viktoria'],
  olivia: ['oliwia'],
  natalia: ['natalya', 'nataliya'],
  andrei: ['andrey'],
  stefan: ['stephan'],
  sean: ['shaun', 'shawn'],
  niamh: ['neve', 'neeve'],
  oisin: ['osheen'],
  roisin: ['rosheen'],
  sinead: ['shinead'],
  ciaran: ['kieran', 'kieron'],
  conor: ['connor', 'conner'],
  aidan: ['aiden', 'ayden', 'aden'],
  jayden: ['jaden', 'jaydon', 'jaiden', 'jaydn'],
  zoe: ['zoey', 'zoie'],
  chloe: ['chloee'],
  leah: ['lea'],
  aaliyah: ['aliyah', 'aliya', 'aleah'],
  lily: ['lilly', 'lili'],
  millie: ['milly'],
  mollie: ['molly'],
  hollie: ['holly'],
  elliot: ['elliott', 'eliot'],
  rhys: ['reece', 'reese'],
  kai: ['kye'],
  louis: ['louie'],
  callum: ['calum'],
  caitlin: ['katelyn', 'caitlyn', 'kaitlyn'],
  megan: ['meghan'],
  esme: ['esmee'],
  darcey: ['darcy', 'darcie'],
  keira: ['kiera', 'kira'],
  isabel: ['isobel', 'isabelle', 'isabell'],
  sophia: ['sofia', 'sofiya'],
  freddie: ['freddy'],
  stephen: ['steven'],
  matthew: ['mathew'],
  philip: ['phillip'],
  katie: ['katy', 'katey'],
  anna: ['ana'],
  jasmine: ['jazmin', 'jasmeen'],
  tyrese: ['tyreese', 'tyrece'],
  jermaine: ['jermain'],
  malachi: ['malakai', 'malachai'],
  isaiah: ['isiah'],
  renee: ['renae'],
  kwabena: ['kwabina'],
  // surnames
  mahmood: ['mahmud', 'mehmood', 'mahmoud', 'mehmud'],
  chaudhry: ['chowdhury', 'choudhury', 'chaudhary', 'choudhry', 'chowdhry'],
  rahman: ['rehman'],
  haque: ['hoque', 'huq'],
  miah: ['mia'],
  akhtar: ['akter', 'akhter', 'aktar'],
  qureshi: ['quraishi', 'kureshi'],
  siddique: ['siddiqui', 'siddiqi'],
  rasool: ['rasul'],
  salih: ['saleh'],
  qadir: ['kadir', 'qader'],
  yousaf: ['yousuf', 'yusuf'],
  tesfay: ['tesfaye', 'tesfai'],
  gebremedhin: ['ghebremedhin'],
  ghebreyesus: ['gebreyesus'],
  huang: ['wong'],
  chen: ['chan'],
  zhang: ['cheung'],
  li: ['lee'],
  liu: ['lau'],
  wu: ['ng'],
  zhou: ['chow'],
  lin: ['lam'],
  yang: ['yeung'],
  zheng: ['cheng'],
  guo: ['kwok'],
  feng: ['fung'],
  tan: ['tam'],
  mcdonald: ['macdonald'],
  mohamud: ['mahamud']
}

export const NICKNAMES: Record<string, string[]> = {
  william: ['will', 'bill', 'billy', 'liam'],
  elizabeth: ['beth', 'lizzie', 'liz', 'eliza', 'betty', 'libby', 'lizzy'],
  alexander: ['alex', 'xander', 'sasha'],
  alexandra: ['alex', 'lexi', 'sasha', 'alexa'],
  thomas: ['tom', 'tommy'],
  olivia: ['liv', 'livvy'],
  oliver: ['ollie', 'olly'],
  james: ['jamie', 'jim', 'jimmy'],
  joseph: ['joe', 'joey'],
  jonathan: ['jon', 'jonny'],
  john: ['johnny', 'jack'],
  robert: ['rob', 'bob', 'bobby', 'robbie'],
  richard: ['rich', 'rick', 'ricky', 'richie'],
  michael: ['mike', 'mikey', 'mick'],
  christopher: ['chris', 'kit'],
  nicholas: ['nick', 'nicky'],
  daniel: ['dan', 'danny'],
  samuel: ['sam', 'sammy'],
  benjamin: ['ben', 'benji', 'benny'],
  matthew: ['matt', 'matty'],
  edward: ['ed', 'eddie', 'ted', 'teddy', 'ned'],
  henry: ['harry', 'hal'],
  frederick: ['fred', 'freddie', 'freddy'],
  alfred: ['alf', 'alfie'],
  charles: ['charlie', 'chaz'],
  charlotte: ['lottie', 'charlie', 'lotte'],
  archibald: ['archie'],
  anthony: ['tony', 'ant'],
  andrew: ['andy', 'drew'],
  david: ['dave', 'davey'],
  joshua: ['josh'],
  zachary: ['zach', 'zack'],
  nathaniel: ['nate', 'nat'],
  jacob: ['jake'],
  isaac: ['zac'],
  theodore: ['theo', 'ted', 'teddy'],
  sebastian: ['seb'],
  maximilian: ['max'],
  harrison: ['harry'],
  gabriel: ['gabe', 'gabi'],
  lucas: ['luke'],
  patrick: ['pat', 'paddy'],
  peter: ['pete'],
  stephen: ['steve', 'stevie'],
  timothy: ['tim', 'timmy'],
  george: ['georgie'],
  tobias: ['toby'],
  ronald: ['ronnie'],
  stanley: ['stan'],
  reginald: ['reggie'],
  albert: ['albie', 'bert'],
  louis: ['lou'],
  katherine: ['kate', 'katie', 'kathy', 'kat', 'kitty'],
  catherine: ['cate', 'cathy', 'kate', 'katie'],
  rebecca: ['becky', 'becca', 'bex'],
  jessica: ['jess', 'jessie'],
  abigail: ['abbie', 'abby'],
  victoria: ['vicky', 'tori', 'vic'],
  jennifer: ['jen', 'jenny'],
  margaret: ['maggie', 'meg', 'peggy'],
  isabella: ['bella', 'izzy', 'issy'],
  isabelle: ['bella', 'izzy', 'issy'],
  amelia: ['millie', 'amy'],
  emily: ['em', 'emmy'],
  eleanor: ['ellie', 'nell', 'nellie', 'elle', 'nora'],
  florence: ['flo', 'florrie', 'flossie'],
  matilda: ['tilly', 'tillie', 'tilda', 'mattie'],
  penelope: ['penny', 'poppy'],
  samantha: ['sam', 'sammy'],
  natalie: ['nat'],
  georgina: ['georgie', 'gina'],
  georgia: ['georgie'],
  francesca: ['fran', 'frankie', 'chesca'],
  kimberley: ['kim'],
  harriet: ['hattie', 'harri'],
  beatrice: ['bea', 'trixie'],
  evelyn: ['evie', 'eve'],
  annabelle: ['annie', 'bella'],
  gabriela: ['gabby', 'gabi'],
  muhammad: ['mo'],
  mohammed: ['mo'],
  abdirahman: ['abdi'],
  oluwaseun: ['seun'],
  oluwatobi: ['tobi'],
  oluwafemi: ['femi'],
  oluwatosin: ['tosin'],
  oluwadamilola: ['dami', 'damilola'],
  ayomide: ['ayo'],
  chukwuemeka: ['emeka'],
  ifeoluwa: ['ife'],
  temitope: ['tope', 'temi'],
  tolulope: ['tolu'],
  oluwatoyin: ['toyin'],
  fiyinfoluwa: ['fiyin'],
  timilehin: ['timi'],
  inioluwa: ['ini'],
  funmilayo: ['funmi'],
  jakub: ['kuba'],
  aleksandra: ['ola'],
  aleksander: ['olek'],
  malgorzata: ['gosia', 'malgosia'],
  katarzyna: ['kasia'],
  magdalena: ['magda'],
  wojciech: ['wojtek'],
  zuzanna: ['zuza', 'zuzia'],
  joanna: ['asia', 'jo'],
  tomasz: ['tomek'],
  piotr: ['piotrek'],
  bartosz: ['bartek'],
  mateusz: ['mati'],
  weronika: ['wera'],
  agnieszka: ['aga'],
  alexandru: ['alex'],
  cristian: ['cristi'],
  jaskaran: ['jas'],
  jaspreet: ['jas'],
  jasdeep: ['jas'],
  sukhdeep: ['sukh'],
  amandeep: ['aman'],
  navdeep: ['nav'],
  gurpreet: ['gurp'],
  aditya: ['adi'],
  krishna: ['krish'],
  vikram: ['vik'],
  abhishek: ['abhi'],
  priyanka: ['priya'],
  abdulrahman: ['abdul'],
  kristina: ['tina'],
  veronika: ['nika'],
  nikoleta: ['niki'],
  dominik: ['dom'],
  dominika: ['domi'],
  maria: ['mia'],
  anastasia: ['ana', 'stacey'],
  teodora: ['teo']
}

const VARIANT_GROUP = new Map<string, string[]>()
for (const [canonical, variants] of Object.entries(NAME_VARIANTS)) {
  const group = [canonical, ...variants]
  for (const name of group) {
    const existing = VARIANT_GROUP.get(name)
    VARIANT_GROUP.set(name, existing ? [...new Set([...existing, ...group])] : group)
  }
}

const MUHAMMAD = new Set(VARIANT_GROUP.get('muhammad'))

function otherSpellings(name: string): string[] {
  const key = nameKey(name)
  return (VARIANT_GROUP.get(key) ?? []).filter((n) => n !== key)
}

function nicknamesOf(name: string): string[] {
  return NICKNAMES[nameKey(name)] ?? []
}

function capitalise(lower: string): string {
  return lower.replace(/(^|[-' ])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase())
}

// ---------------------------------------------------------------------------------------------------
// Dates, as whole days since 1970-01-01 (UTC).

const DAY = 86_400_000

function parseIsoDate(text: string, what: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  if (!match || !isValidIsoDate(text)) throw new RangeError(`${what} must be a date as YYYY-MM-DD, not '${text}'`)
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY
}

function isValidIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const year = Number(text.slice(0, 4))
  const month = Number(text.slice(5, 7))
  const day = Number(text.slice(8, 10))
  if (month < 1 || month > 12 || day < 1) return false
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

function isoOfDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10)
}

interface Calendar {
  reference: number
  schoolFirst: number // oldest date of birth on a roll: 17 at the reference date and in Year 13
  schoolLast: number // youngest: 4 at the reference date and in Reception
  secondaryLast: number // born on or before this: Year 7 or above
  childFirst: number // oldest date of birth of any child: 17 at the reference date
  iso: (day: number) => string
}

function makeCalendar(referenceDate: string): Calendar {
  const reference = parseIsoDate(referenceDate, 'referenceDate')
  const [y, m, d] = referenceDate.split('-').map(Number) as [number, number, number]
  const schoolYear = m >= 9 ? y : y - 1 // the academic year starting on 1 September
  const yearsBefore = (years: number): number => Date.UTC(y - years, m - 1, d) / DAY
  const childFirst = yearsBefore(18) + 1
  const schoolFirst = Math.max(childFirst, Date.UTC(schoolYear - 18, 8, 1) / DAY)
  const schoolLast = Math.min(yearsBefore(4), Date.UTC(schoolYear - 4, 7, 31) / DAY)
  const secondaryLast = Date.UTC(schoolYear - 11, 7, 31) / DAY
  const first = childFirst - 400
  const table: string[] = []
  for (let day = first; day <= reference; day++) table.push(isoOfDay(day))
  const iso = (day: number): string => table[day - first] ?? isoOfDay(day)
  return { reference, schoolFirst, schoolLast, secondaryLast, childFirst, iso }
}

// ---------------------------------------------------------------------------------------------------
// Places: invented streets in 'B' postcode districts. Each street lies in one district and sector;
// houses along it are numbered upwards and every run of 24 numbers shares a postcode unit.

const STREET_BASES = `Acacia Albert Alexandra Alma Alum Ash Aston Balsall Beech Belgrave Birch Bordesley Bristol Brook Cannon
  Cedar Chapel Chestnut Church Clifton College Coventry Cross Dale Dudley Edward Elm Elmdon Fernley Fox Frederick George
  Gladstone Grange Green Hall Hamstead Handsworth Harborne Hawthorn Heath Highfield Hill Holly Holyhead Ivy Jubilee Kings
  Kingsley Lime Linden Lodge Lozells Manor Maple Marsh Meadow Mill Moseley Nechells Newton Nursery Oak Orchard Oxford Park
  Pershore Poplar Priory Queens Raddlebarn Rectory Regent Rookery Rose St_Mary's St_Paul's St_Peter's Saltley Selly
  Showell Soho Somerset Sparkbrook Spring Springfield Station Stechford Stratford Sycamore Tiverton Tyburn Victoria Villa
  Walsall Warwick Washwood Waverley Wellington Westfield Willow Windsor Winson Witton Wolseley Woodland Yardley Yew Acocks
  Bromford Erdington Gravelly Lickey Quinton Stirchley Weoley Kitts Ladywood Cotteridge Bournville Sandwell Tame Primrose
  Coronation Bellevue Farm Valley Mayfield Ashfield Beaufort`.trim().split(/\s+/).map((b) => b.replaceAll('_', ' '))
const STREET_TYPES = ['Road', 'Street', 'Avenue', 'Close', 'Grove', 'Lane', 'Drive', 'Crescent', 'Way', 'Place', 'Gardens', 'Terrace', 'Walk', 'Croft', 'Rise', 'View']
const STREET_NAME_COUNT = STREET_BASES.length * STREET_TYPES.length
const UNIT_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ' // the letters UK postcodes use in the unit
const HOUSES_PER_UNIT = 24

function streetName(index: number): string {
  return `${STREET_BASES[index % STREET_BASES.length]!} ${STREET_TYPES[Math.floor(index / STREET_BASES.length) % STREET_TYPES.length]!}`
}

function unitCode(unit: number): string {
  const u = (((unit % 400) + 400) % 400 * 147 + 29) % 400
  return UNIT_LETTERS[Math.floor(u / 20)]! + UNIT_LETTERS[u % 20]!
}

interface City {
  districts: number
  streets: number
  streetName: string[]
  streetDistrict: Uint8Array
  streetSector: Uint8Array
  streetUnitBase: Int32Array
  nextHouse: Int32Array
}

function buildCity(rng: Rng, streets: number): City {
  const districts = Math.max(3, Math.min(99, Math.ceil(streets / 25)))
  const names: string[] = new Array<string>(streets)
  const streetDistrict = new Uint8Array(streets)
  const streetSector = new Uint8Array(streets)
  const streetUnitBase = new Int32Array(streets)
  const nextHouse = new Int32Array(streets)
  const perDistrict = new Int32Array(districts + 1)
  const perSector = new Int32Array((districts + 1) * 10)
  const offset = below(rng, STREET_NAME_COUNT)
  for (let s = 0; s < streets; s++) {
    const district = 1 + below(rng, districts)
    const sector = below(rng, 10)
    // 7919 is prime and does not divide STREET_NAME_COUNT, so a district's streets have distinct names
    names[s] = streetName((perDistrict[district]!++ * 7919 + district * 131 + offset) % STREET_NAME_COUNT)
    streetDistrict[s] = district
    streetSector[s] = sector
    streetUnitBase[s] = perSector[district * 10 + sector]!
    perSector[district * 10 + sector]! += 3
    nextHouse[s] = below(rng, 6)
  }
  return { districts, streets, streetName: names, streetDistrict, streetSector, streetUnitBase, nextHouse }
}

function postcodeOf(district: number, sector: number, unit: number): string {
  return `B${district} ${sector}${unitCode(unit)}`
}

// A home in the city for a family not on the roll, or one that moved: a street some pupil lives on.
function anotherAddress(rng: Rng, roll: readonly SyntheticPupil[]): { address: string, postcode: string } {
  const number = 1 + below(rng, 180)
  const flat = rng() < 0.08 ? `Flat ${1 + below(rng, 12)}, ` : ''
  if (roll.length > 0) {
    const neighbour = roll[below(rng, roll.length)]!
    const street = neighbour.address.replace(/^Flat \d+, /, '').replace(/^\d+[A-Z]? /, '')
    return { address: `${flat}${number} ${street}`, postcode: neighbour.postcode }
  }
  return { address: `${flat}${number} ${streetName(below(rng, STREET_NAME_COUNT))}`, postcode: postcodeOf(1 + below(rng, 99), below(rng, 10), below(rng, 400)) }
}

// ---------------------------------------------------------------------------------------------------
// Schools: primaries and secondaries (one in five) spread over the districts; children go to one near
// home, siblings usually to the same one.

interface Schools {
  urn: string[]
  near: [number[][], number[][]] // [primary, secondary][district] → schools nearest first
}

function buildSchools(count: number, districts: number): Schools {
  const urn: string[] = []
  const byPhase: [number[], number[]] = [[], []]
  const districtOf: number[] = []
  for (let i = 0; i < count; i++) {
    urn.push(String(990001 + i))
    districtOf.push(1 + Math.floor((i * districts) / count))
    byPhase[i % 5 === 4 ? 1 : 0].push(i)
  }
  if (byPhase[1].length === 0) byPhase[1] = byPhase[0] // too few schools for secondaries: all-through
  const near = byPhase.map((phase) => {
    const lists: number[][] = [[]]
    for (let d = 1; d <= districts; d++) {
      const sorted = [...phase].sort((a, b) => Math.abs(districtOf[a]! - d) - Math.abs(districtOf[b]! - d) || a - b)
      lists.push(sorted.slice(0, 8))
    }
    return lists
  }) as [number[][], number[][]]
  return { urn, near }
}

function schoolNear(rng: Rng, schools: Schools, phase: 0 | 1, district: number): number {
  const candidates = schools.near[phase][district]!
  const r = rng()
  return candidates[Math.floor(candidates.length * r * r * r)]!
}

// ---------------------------------------------------------------------------------------------------
// Families

interface Family {
  community: Community
  mixedWith: Community | null
  surname: string
  otherSurname: string // the other parent's
  sikh: 'middle' | 'surname' | 'none'
  romaFemaleForm: boolean
}

function drawSurname(rng: Rng, community: Community): string {
  return pickName(community.surnames, rng)
}

function drawFamily(rng: Rng): Family {
  const community = pickCommunity(rng)
  let mixedWith: Community | null = null
  if (rng() < MIXED_HOUSEHOLD_SHARE) {
    for (let tries = 0; tries < 5 && (mixedWith === null || mixedWith === community); tries++) mixedWith = pickCommunity(rng)
    if (mixedWith === community) mixedWith = null
  }
  let surname = drawSurname(rng, community)
  let otherSurname = drawSurname(rng, mixedWith ?? community)
  for (let tries = 0; tries < 5 && otherSurname === surname; tries++) otherSurname = drawSurname(rng, mixedWith ?? community)
  if (rng() < (mixedWith ? 0.15 : community.doubleBarrelShare) && otherSurname !== surname && !surname.includes('-') && !otherSurname.includes('-')) surname = `${surname}-${otherSurname}`
  const s = rng()
  const sikh = community.style !== 'sikh' ? 'none' : s < 0.12 ? 'surname' : s < 0.85 ? 'middle' : 'none'
  return { community, mixedWith, surname, otherSurname, sikh, romaFemaleForm: community.style === 'roma' && rng() < 0.6 }
}

// Polish -ski/-cki/-dzki become -ska/-cka/-dzka for girls; Slovak and Czech Roma surnames take -ová.
function surnameForGender(surname: string, gender: 'F' | 'M', family: { romaFemaleForm: boolean }): string {
  if (gender === 'F') {
    if (/(sk|ck|dzk)i$/.test(surname)) return surname.slice(0, -1) + 'a'
    if (surname === 'Singh') return 'Kaur'
    if (family.romaFemaleForm && !surname.endsWith('ová')) return surname.replace(/[ao]$/, '') + 'ová'
    return surname
  }
  if (/(sk|ck|dzk)a$/.test(surname)) return surname.slice(0, -1) + 'i'
  if (surname === 'Kaur') return 'Singh'
  if (surname.endsWith('ová')) return surname.slice(0, -3)
  return surname
}

function drawFirstName(rng: Rng, community: Community, gender: 'F' | 'M', avoid: readonly string[]): string {
  let name = ''
  for (let tries = 0; tries < 20; tries++) {
    const source = community.borrow && rng() < community.borrowShare ? community.borrow : community
    name = pickName(gender === 'F' ? source.female : source.male, rng)
    if (!avoid.includes(name)) break
  }
  return name
}

// Middle names come from the family's own community (a Chinese family's Ethan may be Ethan Hao).
function drawMiddleNames(rng: Rng, family: Family, gender: 'F' | 'M', firstName: string): string {
  const community = family.community
  if (family.sikh === 'middle') return gender === 'F' ? 'Kaur' : 'Singh'
  if (community.style === 'vietnamese' && rng() < 0.7) return gender === 'F' ? 'Thi' : 'Van'
  const isMuhammad = MUHAMMAD.has(nameKey(firstName))
  if (!(isMuhammad ? rng() < 0.85 : rng() < community.middleShare)) return ''
  const list = gender === 'F' ? community.female : community.male
  let middle = pickName(list, rng)
  for (let tries = 0; tries < 10 && (middle === firstName || MUHAMMAD.has(nameKey(middle))); tries++) middle = pickName(list, rng)
  if (middle === firstName) return ''
  if (rng() < 0.12) {
    const second = pickName(list, rng)
    if (second !== middle && second !== firstName) middle = `${middle} ${second}`
  }
  return middle
}

interface ChildName {
  firstName: string
  middleNames: string
  lastName: string
}

function drawChildName(rng: Rng, family: Family, gender: 'F' | 'M', avoid: readonly string[], halfSibling: boolean): ChildName {
  const nameCommunity = family.mixedWith && rng() < 0.5 ? family.mixedWith : family.community
  const firstName = drawFirstName(rng, nameCommunity, gender, avoid)
  const middleNames = drawMiddleNames(rng, family, gender, firstName)
  let lastName = family.surname
  const community = family.community
  if (family.sikh === 'surname') lastName = gender === 'F' ? 'Kaur' : 'Singh'
  else if (gender === 'F' && community.femaleSurnames && rng() < community.femaleSurnameShare) lastName = pickName(community.femaleSurnames, rng)
  else if (halfSibling) lastName = rng() < 0.5 || family.surname.includes('-') ? drawSurname(rng, community) : `${family.surname}-${family.otherSurname}`
  lastName = surnameForGender(lastName, gender, family)
  return { firstName, middleNames, lastName }
}

function drawGender(rng: Rng): { gender: SyntheticPupil['gender'], nameGender: 'F' | 'M' } {
  const r = rng()
  const gender = r < 0.001 ? 'X' : r < 0.003 ? '' : r < 0.5015 ? 'M' : 'F'
  return { gender, nameGender: gender === 'F' || gender === 'M' ? gender : rng() < 0.5 ? 'F' : 'M' }
}

// Dates of birth for `count` children born in [first, last], oldest first, 300+ days apart except twins.
// Births are laid out with gaps from a uniform start and wrapped round the range, so every child's date
// of birth is uniform over it (school year groups are the same size) and siblings stay 300+ days apart.
function drawBirthDays(rng: Rng, count: number, first: number, last: number, twins: boolean): number[] {
  const births = twins ? count - 1 : count
  const length = last - first + 1
  const maxGap = births > 1 ? Math.max(1, Math.min(1830, Math.floor((length - 300) / (births - 1)))) : 0
  const start = below(rng, length)
  let offset = 0
  const days = [first + start]
  for (let i = 1; i < births; i++) {
    offset += Math.min(maxGap, 300 + below(rng, Math.max(1, maxGap - 299)))
    days.push(first + ((start + offset) % length))
  }
  days.sort((a, b) => a - b)
  if (twins) {
    const twin = below(rng, days.length)
    days.splice(twin, 0, days[twin]!)
  }
  return days
}

const HOUSEHOLD_SIZES = [0.4, 0.76, 0.92, 0.98, 1] // cumulative shares of 1-5 school-age children
const TWIN_HOUSEHOLD_SHARE = 0.018

function drawHouseholdSize(rng: Rng): number {
  const r = rng()
  let size = 1
  while (size < HOUSEHOLD_SIZES.length && r >= HOUSEHOLD_SIZES[size - 1]!) size++
  return size
}

// ---------------------------------------------------------------------------------------------------
// The roll

function positiveInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}`)
  return value
}

// 'A' + 12 digits: 4 random, then 8 from the pupil's number by a bijection, so UPNs never repeat; the
// letter is a mod-23 sum of the weighted digits.
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ'

function makeUpn(rng: Rng, index: number, salt: number): string {
  const digits = String(below(rng, 10_000)).padStart(4, '0') + String((index * 7919 + salt) % 100_000_000).padStart(8, '0')
  let sum = 0
  for (let i = 0; i < 12; i++) sum += (digits.charCodeAt(i) - 48) * (i + 2)
  return UPN_LETTERS[sum % 23]! + digits
}

export function generateRoll(options: RollOptions): SyntheticPupil[] {
  const pupils = positiveInteger(options.pupils, 'pupils', 0, 9_999_999)
  const rng = makeRng(options.seed, 1)
  const calendar = makeCalendar(options.referenceDate ?? DEFAULT_REFERENCE_DATE)
  const schoolCount = positiveInteger(options.schools ?? Math.min(9999, Math.max(1, Math.ceil(pupils / 450))), 'schools', 1, 9999)
  const city = buildCity(rng, Math.max(1, Math.ceil(pupils / 1.9 / 10)))
  const schools = buildSchools(schoolCount, city.districts)
  const upnSalt = below(rng, 100_000_000)
  const roll: SyntheticPupil[] = []
  let household = 0
  while (roll.length < pupils) {
    household++
    const householdId = 'H' + String(household).padStart(7, '0')
    let size = drawHouseholdSize(rng)
    const twins = rng() < TWIN_HOUSEHOLD_SHARE && pupils - roll.length >= 2
    if (twins && size < 2) size = 2
    size = Math.min(size, pupils - roll.length)
    const family = drawFamily(rng)
    const halfSibling = size >= 2 && rng() < 0.06 ? 1 + below(rng, size - 1) : -1
    const births = drawBirthDays(rng, size, calendar.schoolFirst, calendar.schoolLast, twins && size >= 2)

    const street = below(rng, city.streets)
    const house = (city.nextHouse[street]! += 1 + below(rng, 3))
    const address = (rng() < 0.08 ? `Flat ${1 + below(rng, 12)}, ` : '') + `${house} ${city.streetName[street]!}`
    const district = city.streetDistrict[street]!
    const postcode = postcodeOf(district, city.streetSector[street]!, city.streetUnitBase[street]! + Math.floor(house / HOUSES_PER_UNIT))
    const preferred: [number, number] = [schoolNear(rng, schools, 0, district), schoolNear(rng, schools, 1, district)]

    const used: string[] = []
    let previousSchool = -1
    for (let c = 0; c < size; c++) {
      const { gender, nameGender } = drawGender(rng)
      const name = drawChildName(rng, family, nameGender, used, c === halfSibling)
      used.push(name.firstName)
      const born = births[c]!
      const phase = born <= calendar.secondaryLast ? 1 : 0
      let school: number
      if (c > 0 && born === births[c - 1] && rng() < 0.9) school = previousSchool // twins
      else if (rng() < (phase === 0 ? 0.85 : 0.7)) school = preferred[phase]
      else school = schoolNear(rng, schools, phase, district)
      previousSchool = school
      const index = roll.length + 1
      roll.push({
        pupilId: 'P' + String(index).padStart(7, '0'),
        upn: makeUpn(rng, index, upnSalt),
        urn: schools.urn[school]!,
        firstName: name.firstName,
        middleNames: name.middleNames,
        lastName: name.lastName,
        dateOfBirth: calendar.iso(born),
        gender,
        address,
        postcode,
        householdId
      })
    }
  }
  return roll
}

// ---------------------------------------------------------------------------------------------------
// Police reports

interface Draft {
  pupil: SyntheticPupil | null
  index: number // the pupil's place in the roll, or -1
  firstName: string
  middleNames: string
  lastName: string
  dateOfBirth: string
  gender: SyntheticPupil['gender']
  address: string
  postcode: string
  variations: string[]
}

function draftOf(pupil: SyntheticPupil, index: number): Draft {
  return { pupil, index, firstName: pupil.firstName, middleNames: pupil.middleNames, lastName: pupil.lastName, dateOfBirth: pupil.dateOfBirth, gender: pupil.gender, address: pupil.address, postcode: pupil.postcode, variations: [] }
}

interface Households {
  members: Int32Array // pupil indexes, grouped by household
  start: Int32Array // household h's members are members[start[h]] .. members[start[h + 1] - 1]
  of: Int32Array // pupil index → household
}

const HOUSEHOLDS = new WeakMap<readonly SyntheticPupil[], { pupils: SyntheticPupil[], households: Households }>()

// Pupils grouped by householdId (in any order); cached while the roll holds the same pupils in the same order.
function householdsOf(roll: readonly SyntheticPupil[]): Households {
  const cached = HOUSEHOLDS.get(roll)
  if (cached && cached.pupils.length === roll.length && cached.pupils.every((p, i) => p === roll[i])) return cached.households
  const households = groupHouseholds(roll)
  HOUSEHOLDS.set(roll, { pupils: roll.slice(), households })
  return households
}

function groupHouseholds(roll: readonly SyntheticPupil[]): Households {
  const of = new Int32Array(roll.length)
  const ids = new Map<string, number>()
  let previous: string | undefined
  let current = -1
  for (let i = 0; i < roll.length; i++) {
    const id = roll[i]!.householdId
    if (id !== previous) {
      const known = ids.get(id)
      if (known === undefined) ids.set(id, (current = ids.size))
      else current = known
      previous = id
    }
    of[i] = current
  }
  const start = new Int32Array(ids.size + 1)
  for (let i = 0; i < roll.length; i++) start[of[i]! + 1]!++
  for (let h = 0; h < ids.size; h++) start[h + 1]! += start[h]!
  const fill = start.slice(0, ids.size)
  const members = new Int32Array(roll.length)
  for (let i = 0; i < roll.length; i++) members[fill[of[i]!]!++] = i
  return { members, start, of }
}

function membersOf(households: Households, h: number): Int32Array {
  return households.members.subarray(households.start[h]!, households.start[h + 1]!)
}

function shuffle<T>(rng: Rng, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = below(rng, i + 1)
    const t = items[i]!
    items[i] = items[j]!
    items[j] = t
  }
}

function share(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`${name} must be a number from 0 to 1`)
  return v
}

type NotOnRollKind = 'sibling-preschool' | 'sibling-school-age' | 'twin-not-on-roll'

// A child who lives with `anchor` (a pupil) but is not on the roll.
function relativeOf(rng: Rng, roll: readonly SyntheticPupil[], household: Int32Array, anchor: SyntheticPupil, kind: NotOnRollKind, calendar: Calendar): Draft {
  const community = communityOf(anchor.firstName, anchor.lastName)
  const members = [...household].map((i) => roll[i]!)
  let nameGender: 'F' | 'M' = rng() < 0.5 ? 'F' : 'M'
  // The family surname, from a brother if there is one; never one only girls have (Begum) for a boy.
  const girlsOnly = (m: SyntheticPupil): boolean => FEMALE_ONLY_SURNAMES.has(nameKey(m.lastName)) && m.lastName !== 'Kaur'
  const source = members.find((m) => m.gender === 'M' && !girlsOnly(m)) ?? members.find((m) => !girlsOnly(m)) ?? anchor
  if (girlsOnly(source)) nameGender = 'F'
  const romaFemaleForm = members.some((m) => m.lastName.endsWith('ová'))
  const lastName = surnameForGender(surnameForGender(source.lastName, 'M', { romaFemaleForm: false }), nameGender, { romaFemaleForm })
  const firstName = drawFirstName(rng, community, nameGender, members.map((m) => m.firstName))
  let middleNames = ''
  const anchorMiddle = anchor.middleNames.split(' ')[0] ?? ''
  if (anchorMiddle === 'Kaur' || anchorMiddle === 'Singh') middleNames = nameGender === 'F' ? 'Kaur' : 'Singh'
  else if (anchorMiddle === 'Thi' || anchorMiddle === 'Van') middleNames = nameGender === 'F' ? 'Thi' : 'Van'
  else if (rng() < community.middleShare) {
    const middle = pickName(nameGender === 'F' ? community.female : community.male, rng)
    if (middle !== firstName) middleNames = middle
  }
  let dateOfBirth = anchor.dateOfBirth
  if (kind !== 'twin-not-on-roll') {
    const taken = members.map((m) => parseIsoDate(m.dateOfBirth, 'dateOfBirth'))
    const [first, last] = kind === 'sibling-preschool' ? [calendar.schoolLast + 1, calendar.reference] : [calendar.schoolFirst, calendar.schoolLast]
    let day = first
    for (let tries = 0; tries < 40; tries++) {
      day = first + below(rng, last - first + 1)
      if (taken.every((t) => Math.abs(t - day) >= 280)) break
    }
    dateOfBirth = calendar.iso(day)
  }
  const gender = rng() < 0.002 ? 'X' : nameGender
  return { pupil: null, index: -1, firstName, middleNames, lastName, dateOfBirth, gender, address: anchor.address, postcode: anchor.postcode, variations: [kind] }
}

// A family none of whose children is on the roll.
function strangers(rng: Rng, count: number, roll: readonly SyntheticPupil[], calendar: Calendar): Draft[] {
  const family = drawFamily(rng)
  const { address, postcode } = anotherAddress(rng, roll)
  const days = drawBirthDays(rng, count, calendar.childFirst, calendar.reference, false)
  const used: string[] = []
  return days.map((day, c) => {
    const { gender, nameGender } = drawGender(rng)
    const name = drawChildName(rng, family, nameGender, used, c > 0 && rng() < 0.06)
    used.push(name.firstName)
    return { pupil: null, index: -1, ...name, dateOfBirth: calendar.iso(day), gender, address, postcode, variations: ['stranger'] }
  })
}

export function generateChildren(roll: SyntheticPupil[], options: ChildrenOptions): SyntheticChild[] {
  const total = positiveInteger(options.children, 'children', 0, 9_999_999)
  const notOnRollShare = share(options.notOnRollShare, 0.15, 'notOnRollShare')
  const siblingOrTwinShare = share(options.siblingOrTwinShare, 0.5, 'siblingOrTwinShare')
  const errorScale = options.errorScale ?? 1
  if (typeof errorScale !== 'number' || !(errorScale >= 0 && errorScale <= 10)) throw new RangeError('errorScale must be a number from 0 to 10')
  const rng = makeRng(options.seed, 2)
  const calendar = makeCalendar(options.referenceDate ?? DEFAULT_REFERENCE_DATE)
  const notOnRoll = roll.length === 0 ? total : Math.round(total * notOnRollShare)
  const related = roll.length === 0 ? 0 : Math.round(notOnRoll * siblingOrTwinShare)
  const onRoll = total - notOnRoll
  if (onRoll > roll.length) throw new RangeError(`cannot report ${onRoll} different pupils from a roll of ${roll.length}`)

  // 1. Reports: pupils drawn household by household, each sibling reported along with them at 70%.
  const households = householdsOf(roll)
  const reported = new Uint8Array(roll.length)
  const order = new Int32Array(roll.length)
  for (let i = 0; i < order.length; i++) order[i] = i
  const reports: Draft[][] = []
  let drawn = 0
  for (let next = 0; drawn < onRoll; next++) {
    const k = next + below(rng, roll.length - next) // a lazy Fisher-Yates shuffle of the roll
    const pick = order[k]!
    order[k] = order[next]!
    order[next] = pick
    if (reported[pick]) continue
    const report: Draft[] = []
    for (const i of membersOf(households, households.of[pick]!)) {
      if (drawn >= onRoll || reported[i] || (i !== pick && rng() >= 0.7)) continue
      reported[i] = 1
      drawn++
      report.push(draftOf(roll[i]!, i))
    }
    reports.push(report)
  }
  const withPupils = reports.length

  // 2. Siblings and twins not on the roll: with their reported siblings (60%) or on their own.
  for (let r = 0; r < related; r++) {
    const x = rng()
    const kind: NotOnRollKind = x < 0.2 ? 'twin-not-on-roll' : x < 0.75 ? 'sibling-preschool' : 'sibling-school-age'
    const joinReport = withPupils > 0 && rng() < 0.6
    const report = joinReport ? reports[below(rng, withPupils)]! : []
    const anchor = joinReport ? report.find((d) => d.index >= 0)!.index : below(rng, roll.length)
    report.push(relativeOf(rng, roll, membersOf(households, households.of[anchor]!), roll[anchor]!, kind, calendar))
    if (!joinReport) reports.push(report)
  }

  // 3. Strangers, in families of one to three.
  for (let left = notOnRoll - related; left > 0;) {
    const r = rng()
    const size = Math.min(left, r < 0.6 ? 1 : r < 0.9 ? 2 : 3)
    reports.push(strangers(rng, size, roll, calendar))
    left -= size
  }

  shuffle(rng, reports)
  const drafts = reports.flat()

  // 4. Recording errors. Where only some records can take a change, it is drawn more often among them
  // so that the overall rate holds.
  const rates = targetRates(drafts)
  const children: SyntheticChild[] = []
  for (const report of reports) {
    const moved = rng() < 0.07 * errorScale ? anotherAddress(rng, roll) : null
    for (const draft of report) {
      if (moved) {
        draft.address = moved.address
        draft.postcode = moved.postcode
        draft.variations.push('moved')
      }
      addErrors(rng, draft, rates, errorScale)
      children.push({
        childId: 'C' + String(children.length + 1).padStart(7, '0'),
        firstName: draft.firstName,
        middleNames: draft.middleNames,
        lastName: draft.lastName,
        dateOfBirth: draft.dateOfBirth,
        gender: draft.gender,
        address: draft.address,
        postcode: draft.postcode,
        truePupilId: draft.pupil ? draft.pupil.pupilId : null,
        variations: draft.variations
      })
    }
  }
  return children
}

interface Rates {
  nameVariant: number
  daySwap: number
  surnameSpelling: number
}

function dayMonthSwappable(dateOfBirth: string): boolean {
  const month = Number(dateOfBirth.slice(5, 7))
  const day = Number(dateOfBirth.slice(8, 10))
  return day <= 12 && day !== month
}

function targetRates(drafts: readonly Draft[]): Rates {
  let names = 0
  let days = 0
  let surnames = 0
  for (const d of drafts) {
    if (nicknamesOf(d.firstName).length > 0 || otherSpellings(d.firstName).length > 0) names++
    if (dayMonthSwappable(d.dateOfBirth)) days++
    if (otherSpellings(d.lastName).length > 0) surnames++
  }
  const rate = (target: number, eligible: number, cap: number): number => (eligible === 0 ? 0 : Math.min(cap, (target * drafts.length) / eligible))
  return { nameVariant: rate(0.08, names, 0.6), daySwap: rate(0.02, days, 0.5), surnameSpelling: rate(0.01, surnames, 0.2) }
}

// ---------------------------------------------------------------------------------------------------
// Recording errors

const KEYBOARD = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm']
const NEAR_KEYS = new Map<string, string>()
KEYBOARD.forEach((row, r) => {
  for (let i = 0; i < row.length; i++) {
    let near = (row[i - 1] ?? '') + (row[i + 1] ?? '')
    for (const other of [KEYBOARD[r - 1], KEYBOARD[r + 1]]) if (other) near += (other[i - 1] ?? '') + (other[i] ?? '') + (other[i + 1] ?? '')
    NEAR_KEYS.set(row[i]!, near)
  }
})

function nearKey(rng: Rng, letter: string): string {
  const lower = letter.toLowerCase()
  const near = NEAR_KEYS.get(lower) ?? 'aeiourstln'
  const replacement = near[below(rng, near.length)]!
  return letter === lower ? replacement : replacement.toUpperCase()
}

// One substitution (a neighbouring key), deletion, insertion or transposition of letters.
function typo(rng: Rng, name: string): string {
  const chars = [...name]
  const letters = chars.map((c, i) => (/\p{L}/u.test(c) ? i : -1)).filter((i) => i >= 0)
  if (letters.length < 2) return name
  for (let tries = 0; tries < 10; tries++) {
    const at = letters[below(rng, letters.length)]!
    const next = [...chars]
    const kind = rng()
    if (kind < 0.35) next[at] = nearKey(rng, chars[at]!)
    else if (kind < 0.6) {
      if (letters.length < 3) continue
      next.splice(at, 1)
    } else if (kind < 0.8) next.splice(at + 1, 0, rng() < 0.5 ? chars[at]!.toLowerCase() : nearKey(rng, chars[at]!).toLowerCase())
    else {
      const following = chars[at + 1]
      if (following === undefined || !/\p{L}/u.test(following) || following.toLowerCase() === chars[at]!.toLowerCase()) continue
      next[at] = at === 0 ? following.toUpperCase() : following
      next[at + 1] = at === 0 ? chars[at]!.toLowerCase() : chars[at]!
    }
    const result = next.join('')
    if (result !== name) return result
  }
  return name
}

function wrongDigit(rng: Rng, date: string): string {
  for (let tries = 0; tries < 20; tries++) {
    const at = oneOf(rng, [2, 3, 3, 5, 6, 8, 9, 9])
    const digit = String(below(rng, 10))
    const next = date.slice(0, at) + digit + date.slice(at + 1)
    if (next !== date && isValidIsoDate(next)) return next
  }
  return date
}

function hasSpecialLetters(text: string): boolean {
  return foldAccents(text) !== text
}

const ABBREVIATIONS: [RegExp, string][] = [
  [/\bRoad\b/, 'Rd'],
  [/\bStreet\b/, 'St'],
  [/\bAvenue\b/, 'Ave'],
  [/\bClose\b/, 'Cl'],
  [/\bCrescent\b/, 'Cres'],
  [/\bDrive\b/, 'Dr'],
  [/\bLane\b/, 'Ln'],
  [/\bGardens\b/, 'Gdns'],
  [/\bPlace\b/, 'Pl'],
  [/\bTerrace\b/, 'Terr'],
  [/\bGrove\b/, 'Gr']
]

function reformatAddress(rng: Rng, address: string): string {
  let next = address
  if (rng() < 0.7) for (const [pattern, short] of ABBREVIATIONS) next = next.replace(pattern, short)
  if (rng() < 0.5) next = next.replace(/^Flat (\d+), (\d+)/, rng() < 0.5 ? '$1/$2' : 'Flat $1 $2')
  const c = rng()
  if (c < 0.25 || next === address) next = c < 0.6 ? next.toUpperCase() : next.toLowerCase()
  return next
}

function reformatPostcode(rng: Rng, postcode: string): string {
  const r = rng()
  if (r < 0.6) return postcode.replace(' ', '')
  if (r < 0.85) return postcode.toLowerCase()
  return postcode.replace(' ', '  ')
}

function addErrors(rng: Rng, d: Draft, rates: Rates, scale: number): void {
  const chance = (p: number): boolean => rng() < p * scale
  const tag = (variation: VariationTag): void => {
    d.variations.push(variation)
  }

  // first name
  const middles = d.middleNames === '' ? [] : d.middleNames.split(' ')
  if (middles.length > 0 && chance(MUHAMMAD.has(nameKey(d.firstName)) ? 0.25 : 0.01)) {
    const [called, ...rest] = middles as [string, ...string[]]
    d.middleNames = rng() < 0.5 ? '' : [d.firstName, ...rest].join(' ')
    d.firstName = called
    tag('known-by-middle-name')
  } else if (chance(rates.nameVariant)) {
    const nicknames = nicknamesOf(d.firstName)
    const spellings = otherSpellings(d.firstName)
    if (nicknames.length > 0 && (spellings.length === 0 || rng() < 0.5)) {
      d.firstName = capitalise(oneOf(rng, nicknames))
      tag('nickname')
    } else if (spellings.length > 0) {
      d.firstName = capitalise(oneOf(rng, spellings))
      tag('transliteration')
    }
  }
  // middle names
  const knownByMiddle = d.variations.includes('known-by-middle-name')
  if (d.middleNames !== '' && !knownByMiddle && chance(0.25)) {
    d.middleNames = ''
    tag('middle-name-dropped')
  } else if (middles.length === 0 && chance(0.03)) {
    const community = communityOf(d.firstName, d.lastName)
    const middle = pickName(d.gender === 'F' || (d.gender !== 'M' && rng() < 0.5) ? community.female : community.male, rng)
    if (middle !== d.firstName) {
      d.middleNames = middle
      tag('middle-name-added')
    }
  }
  // surname
  if (chance(0.03)) {
    const parts = d.lastName.split('-')
    const doubleBarrelled = parts.length === 2 && parts.every((p) => p.length >= 3)
    const community = SURNAME_COMMUNITY.get(nameKey(d.lastName)) ?? communityOf(d.firstName, d.lastName)
    let other = pickName(community.surnames, rng)
    if (other === d.lastName) other = pickName(WHITE_BRITISH.surnames, rng)
    if (doubleBarrelled && rng() < 0.7) {
      d.lastName = oneOf(rng, parts)
      tag('surname-half-dropped')
    } else if (rng() < 0.5 && other !== d.lastName) {
      d.lastName = other
      tag('surname-other-parent')
    } else if (!doubleBarrelled && other !== d.lastName) {
      d.lastName = rng() < 0.5 ? `${d.lastName}-${other}` : `${other}-${d.lastName}`
      tag('surname-double-barrelled')
    }
  }
  if (chance(rates.surnameSpelling)) {
    const spellings = otherSpellings(d.lastName)
    if (spellings.length > 0) {
      d.lastName = capitalise(oneOf(rng, spellings))
      tag('surname-transliteration')
    }
  }
  // typing errors
  if (chance(0.05)) {
    if (rng() < 0.6) {
      const next = typo(rng, d.firstName)
      if (next !== d.firstName) {
        d.firstName = next
        tag('first-name-typo')
      }
    } else {
      const next = typo(rng, d.lastName)
      if (next !== d.lastName) {
        d.lastName = next
        tag('last-name-typo')
      }
    }
  }
  if (chance(0.005)) {
    ;[d.firstName, d.lastName] = [d.lastName, d.firstName]
    tag('names-swapped')
  }
  // date of birth
  if (d.dateOfBirth !== '') {
    if (chance(0.01)) {
      d.dateOfBirth = ''
      tag('dob-missing')
    } else {
      if (dayMonthSwappable(d.dateOfBirth) && chance(rates.daySwap)) {
        d.dateOfBirth = `${d.dateOfBirth.slice(0, 4)}-${d.dateOfBirth.slice(8, 10)}-${d.dateOfBirth.slice(5, 7)}`
        tag('dob-day-month-swapped')
      }
      if (chance(0.02)) {
        const next = wrongDigit(rng, d.dateOfBirth)
        if (next !== d.dateOfBirth) {
          d.dateOfBirth = next
          tag('dob-digit-wrong')
        }
      }
    }
  }
  if (d.gender !== '' && chance(0.2)) {
    d.gender = ''
    tag('gender-missing')
  }
  if (d.postcode !== '' && chance(0.03)) {
    d.postcode = ''
    tag('postcode-missing')
  }
  // presentation
  if (chance(0.15)) {
    const r = rng()
    if (r < 0.6) d.lastName = d.lastName.toUpperCase()
    else if (r < 0.8) {
      d.firstName = d.firstName.toUpperCase()
      d.middleNames = d.middleNames.toUpperCase()
      d.lastName = d.lastName.toUpperCase()
    } else {
      d.firstName = d.firstName.toLowerCase()
      d.middleNames = d.middleNames.toLowerCase()
      d.lastName = d.lastName.toLowerCase()
    }
    tag('case')
  }
  if (hasSpecialLetters(d.firstName + d.middleNames + d.lastName) && chance(0.6)) {
    d.firstName = foldAccents(d.firstName)
    d.middleNames = foldAccents(d.middleNames)
    d.lastName = foldAccents(d.lastName)
    tag('accents-stripped')
  }
  if (/'/.test(d.firstName + d.lastName) && chance(0.5)) {
    const r = rng()
    const replacement = r < 0.5 ? '' : r < 0.75 ? ' ' : '’'
    d.firstName = d.firstName.replaceAll("'", replacement)
    d.lastName = d.lastName.replaceAll("'", replacement)
    tag('apostrophe')
  }
  if (/-/.test(d.firstName + d.lastName) && chance(0.4)) {
    const replacement = rng() < 0.7 ? ' ' : ''
    d.firstName = d.firstName.replaceAll('-', replacement)
    d.lastName = d.lastName.replaceAll('-', replacement)
    tag('hyphen')
  }
  if (chance(0.02)) {
    const r = rng()
    if (r < 0.4) d.firstName = `${d.firstName} `
    else if (r < 0.7) d.lastName = ` ${d.lastName}`
    else d.lastName = d.lastName.replace(/^(\S{2})/, '$1 ')
    tag('whitespace')
  }
  if (d.postcode !== '' && chance(0.15)) {
    d.postcode = reformatPostcode(rng, d.postcode)
    tag('postcode-format')
  }
  if (chance(0.25)) {
    const next = reformatAddress(rng, d.address)
    if (next !== d.address) {
      d.address = next
      tag('address-format')
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// CSV (RFC 4180): a header line, then one line per row, CRLF line ends; fields holding a comma, a double
// quote or a line break are quoted, with quotes doubled. null and undefined become empty fields and
// arrays are joined with ';'.

function csvField(value: unknown): string {
  const text = value == null ? '' : Array.isArray(value) ? value.join(';') : typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function toCsv(rows: object[], columns: string[]): string {
  const lines: string[] = [columns.map(csvField).join(',')]
  for (const row of rows) {
    const record = row as Record<string, unknown>
    lines.push(columns.map((column) => csvField(record[column])).join(','))
  }
  return lines.join('\r\n') + '\r\n'
}
