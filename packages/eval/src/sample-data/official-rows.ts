// A tiny invented SuperGLUE in the official jsonl layout (train + val for all eight tasks), for the README
// example, the CLI tests and the toy model. The first two val docs of each task are the design note's test
// vectors (design/superglue-eval-vectors.json); the rest are new. Character offsets (WiC, ReCoRD) and word
// indices (WSC) are computed from the strings, so they cannot drift.
import { pyLen, pySplit } from '../python/py-str.js';

/** Official-layout rows: task → split → rows. */
export type OfficialRows = Record<string, { train: object[]; val: object[] }>;

const boolq = (question: string, passage: string, label: boolean) => ({ question, passage, label });
const nli = (premise: string, hypothesis: string, label: string) => ({ premise, hypothesis, label });
const copa = (premise: string, choice1: string, choice2: string, question: 'cause' | 'effect', label: number) => ({ premise, choice1, choice2, question, label });

/** WiC row; `w1`/`w2` are the surface forms, located at their first occurrence. */
function wic(word: string, sentence1: string, w1: string, sentence2: string, w2: string, label: boolean) {
  const at = (s: string, w: string) => {
    const i = s.indexOf(w);
    if (i < 0) throw new Error(`sample WiC: '${w}' not in '${s}'`);
    return pyLen(s.slice(0, i));
  };
  const start1 = at(sentence1, w1);
  const start2 = at(sentence2, w2);
  return { word, sentence1, sentence2, label, start1, start2, end1: start1 + pyLen(w1), end2: start2 + pyLen(w2), version: 1.1 };
}

/** WSC row; spans are located by the n-th word equal to their first word (punctuation ignored). */
function wsc(text: string, span1: string, span2: string, label: boolean, nth2 = 0) {
  const words = pySplit(text).map((w) => w.replace(/[.,;:!?"']+$/, ''));
  const find = (span: string, nth: number) => {
    const first = pySplit(span)[0];
    let i = -1;
    for (let k = 0; k <= nth; k++) i = words.indexOf(first, i + 1);
    if (i < 0) throw new Error(`sample WSC: '${span}' not in '${text}'`);
    return i;
  };
  return { text, target: { span1_index: find(span1, 0), span1_text: span1, span2_index: find(span2, nth2), span2_text: span2 }, label };
}

/** MultiRC passage: sentences get the official "<b>Sent N: </b>…<br>" markup. */
function multirc(sentences: string[], questions: [string, [string, boolean][]][]) {
  return {
    version: 1.1,
    passage: {
      text: sentences.map((s, i) => `<b>Sent ${i + 1}: </b>${s}<br>`).join(''),
      questions: questions.map(([question, answers]) => ({ question, answers: answers.map(([text, ok]) => ({ text, label: ok ? 1 : 0 })) })),
    },
  };
}

/** ReCoRD passage: every occurrence of each entity string becomes an inclusive {start, end} span. */
function record(article: string, highlights: string[], entities: string[], qas: [string, string[]][]) {
  const text = [article, ...highlights].join('\n@highlight\n');
  const spans = (s: string) => {
    const out: { start: number; end: number }[] = [];
    for (let i = text.indexOf(s); i >= 0; i = text.indexOf(s, i + 1)) out.push({ start: pyLen(text.slice(0, i)), end: pyLen(text.slice(0, i)) + pyLen(s) - 1 });
    if (out.length === 0) throw new Error(`sample ReCoRD: '${s}' not in the passage`);
    return out;
  };
  return {
    source: 'Daily mail',
    passage: { text, entities: entities.flatMap(spans).sort((a, b) => a.start - b.start) },
    qas: qas.map(([query, answers]) => ({ query, answers: answers.map((a) => ({ ...spans(a)[0], text: a })) })),
  };
}

/** Numbers `idx` in order (MultiRC/ReCoRD: nested question/answer/query idx too, global across passages). */
function numbered(rows: object[]): object[] {
  let q = 0;
  return rows.map((row, idx) => {
    const r = structuredClone(row) as Record<string, any>;
    if (r.passage?.questions) for (const question of r.passage.questions) {
      question.idx = q++;
      question.answers.forEach((a: Record<string, number>, i: number) => (a.idx = i));
    }
    if (r.qas) for (const qa of r.qas) qa.idx = q++;
    return { ...r, idx };
  });
}

const ROWS = {
  BoolQ: {
    train: [
      boolq('is the moon larger than the earth', 'Moon -- The Moon is about a quarter of the diameter of the Earth.', false),
      boolq('can ostriches fly', 'Ostrich -- Ostriches are large flightless birds that run at great speed.', false),
      boolq('is mount everest in the himalayas', 'Mount Everest -- Everest is the highest mountain of the Himalayas.', true),
      boolq('do bees make honey', 'Honey bee -- Honey bees store honey made from the nectar of flowers.', true),
      boolq('is venus the hottest planet', 'Venus -- Its thick atmosphere makes Venus the hottest planet in the Solar System.', true),
    ],
    val: [
      boolq('do penguins live in the southern hemisphere', 'Penguin -- Penguins are flightless aquatic birds that live almost exclusively in the Southern Hemisphere.', true),
      boolq('is the golden gate bridge painted red', 'Golden Gate Bridge -- The bridge is painted in a colour called International Orange, chosen to blend with the hills.', false),
      boolq('is a tomato a fruit', 'Tomato -- Botanically, the tomato is a berry, the fruit of the tomato plant.', true),
      boolq('does the nile flow into the atlantic', 'Nile -- The Nile flows north through eleven countries into the Mediterranean Sea.', false),
      boolq('is copper a good conductor of electricity', 'Copper -- Copper conducts heat and electricity very well.', true),
      boolq('is pluto still classed as a planet', 'Pluto -- In 2006 Pluto was reclassified as a dwarf planet.', false),
    ],
  },
  CB: {
    train: [
      nli('B: I guess the meeting was moved. A: I suppose it was moved to Friday.', 'it was moved to Friday', 'entailment'),
      nli("A: Is the cafe open? B: I don't believe it opens before nine.", 'it opens before nine', 'contradiction'),
      nli('She wondered whether the letter had arrived.', 'the letter had arrived', 'neutral'),
      nli('I know that the train left on time.', 'the train left on time', 'entailment'),
      nli("He didn't think the garden needed water.", 'the garden needed water', 'contradiction'),
    ],
    val: [
      nli("It was late and the shop was dark. I don't think Mary had gone home yet.", 'Mary had gone home yet', 'contradiction'),
      nli('A: Did you hear about the bakery? B: I know that it sells rye bread now.', 'the bakery sells rye bread now', 'entailment'),
      nli('Maybe the bus was delayed by the snow.', 'the bus was delayed by the snow', 'neutral'),
      nli('I am sure the keys are in the drawer.', 'the keys are in the drawer', 'entailment'),
      nli("I doubt that the concert will start on time.", 'the concert will start on time', 'contradiction'),
      nli('Nobody knows if the river will flood this year.', 'the river will flood this year', 'neutral'),
    ],
  },
  COPA: {
    train: [
      copa('The man lost his balance.', 'He fell down.', 'He sat on a chair.', 'effect', 0),
      copa('The milk went sour.', 'It was left in the sun.', 'It was kept cold.', 'cause', 0),
      copa('The girl was thirsty.', 'She ate a sandwich.', 'She drank some water.', 'effect', 1),
      copa('The road was blocked.', 'A tree had fallen on it.', 'The sky was clear.', 'cause', 0),
      copa('The child was tired.', 'He ran outside.', 'He went to bed early.', 'effect', 1),
    ],
    val: [
      copa('The ground was wet.', 'It had rained overnight.', 'The sun was shining.', 'cause', 0),
      copa('The boy dropped the glass.', 'The glass floated away.', 'The glass shattered.', 'effect', 1),
      copa('The phone battery died.', 'She forgot to charge it.', 'She bought a new case.', 'cause', 0),
      copa('The oven was very hot.', 'The bread froze.', 'The bread baked quickly.', 'effect', 1),
      copa('The crowd cheered.', 'The team scored a goal.', 'The stadium was empty.', 'cause', 0),
      copa('The window was open.', 'The room got cold.', 'The lamp turned on.', 'effect', 0),
    ],
  },
  RTE: {
    train: [
      nli('The company hired two hundred workers for its new factory in Ohio.', 'The company has a factory in Ohio.', 'entailment'),
      nli('The festival was held in the park despite the rain.', 'The festival was cancelled because of rain.', 'not_entailment'),
      nli('Anna Berg, the mayor of the town, opened the new bridge.', 'Anna Berg is a mayor.', 'entailment'),
      nli('The museum received a painting from a private collector.', 'The museum sold a painting.', 'not_entailment'),
      nli('More than ten thousand runners took part in the marathon.', 'The marathon had many runners.', 'entailment'),
    ],
    val: [
      nli('The museum, which opened in 1901, houses over two thousand paintings.', 'The museum opened in 1901.', 'entailment'),
      nli('Heavy rain delayed the final match by two hours.', 'The final match was cancelled.', 'not_entailment'),
      nli('The ship carried grain from the port of Odessa to Istanbul.', 'The ship carried grain.', 'entailment'),
      nli('The author wrote her first novel at the age of twenty.', 'The author has never written a novel.', 'not_entailment'),
      nli('Police closed the highway after a truck overturned.', 'A truck overturned on the highway.', 'entailment'),
      nli('The school library doubled its collection last year.', 'The school has no library.', 'not_entailment'),
    ],
  },
  WiC: {
    train: [
      wic('light', 'The light was too bright.', 'light', 'Turn on the light, please.', 'light', true),
      wic('bark', 'The bark of the oak is rough.', 'bark', 'The dog began to bark.', 'bark', false),
      wic('play', 'They play chess on Sundays.', 'play', 'The children played in the garden.', 'played', true),
      wic('match', 'He lit a match.', 'match', 'We won the match.', 'match', false),
      wic('run', 'She runs a bakery.', 'runs', 'He runs a small hotel.', 'runs', true),
    ],
    val: [
      wic('bank', 'She sat on the bank of the river.', 'bank', 'He deposited cash at the bank.', 'bank', false),
      wic('run', 'They run a small shop.', 'run', 'She runs the family business.', 'runs', true),
      wic('bat', 'A bat flew out of the cave.', 'bat', 'He swung the bat hard.', 'bat', false),
      wic('key', 'I lost the key to the door.', 'key', 'This key opens the shed.', 'key', true),
      wic('ring', 'She wore a gold ring.', 'ring', 'The phone began to ring.', 'ring', false),
      wic('paint', 'We paint the fence every spring.', 'paint', 'They painted the kitchen blue.', 'painted', true),
    ],
  },
  WSC: {
    train: [
      wsc('The cat chased the mouse because it was hungry.', 'The cat', 'it', true),
      wsc('Sam thanked Tom because he had helped him move.', 'Tom', 'he', true),
      wsc('The ball broke the window because it was fragile.', 'The ball', 'it', false),
      wsc('Lucy lent her book to Jane because she had finished it.', 'Lucy', 'she', true),
      wsc('The table would not fit through the door because it was too narrow.', 'The table', 'it', false),
    ],
    val: [
      wsc('Mark told Pete many lies about himself, which Pete included in his book. He should have been more truthful.', 'Mark', 'He', true),
      wsc("The trophy doesn't fit into the brown suitcase because it is too large.", 'the brown suitcase', 'it', false),
      wsc('The council refused the protesters a permit because they feared violence.', 'The council', 'they', true),
      wsc('The painting hung above the sofa, and it was covered in dust.', 'the sofa', 'it', false),
      wsc('Emma called her sister because she wanted some advice.', 'Emma', 'she', true),
      wsc('The dog ignored the ball because it was tired.', 'the ball', 'it', false),
    ],
  },
  MultiRC: {
    train: [
      multirc(
        ['Leo baked bread every morning.', 'He sold it at the market on Saturdays.'],
        [
          ['When did Leo sell bread?', [['On Saturdays', true], ['Every morning', false]]],
          ['What did Leo bake?', [['Bread', true], ['Cakes', false], ['Loaves of bread', true]]],
        ],
      ),
      multirc(
        ['The lighthouse stood on a rock.', 'Its lamp could be seen twenty miles away.'],
        [['How far could the lamp be seen?', [['Twenty miles', true], ['Two miles', false]]]],
      ),
    ],
    val: [
      multirc(
        ['Anna planted tomatoes in April.', 'By July the plants were taller than her fence.'],
        [
          ['When did Anna plant the tomatoes?', [['In April', true], ['In July', false]]],
          ['What grew taller than the fence?', [['The plants', true], ['The fence', false], ['Tomato plants', true]]],
        ],
      ),
      multirc(
        ['The train left the station at noon.', 'It reached the coast three hours later.'],
        [
          ['When did the train reach the coast?', [['At three in the afternoon', true], ['At noon', false]]],
          ['Where did the train go?', [['To the coast', true], ['To the mountains', false]]],
        ],
      ),
    ],
  },
  ReCoRD: {
    train: [
      record('Jon Park opened a bakery in Oakton last spring, and the shop sold out on its first day.', ['Jon Park opens a bakery in Oakton'], ['Jon Park', 'Oakton'], [['Customers queued outside the @placeholder bakery before dawn.', ['Oakton']]]),
      record('The Riverton Tigers beat the Lakeside Hawks 3-1 in the league final.', ['Riverton Tigers win the final'], ['Riverton Tigers', 'Lakeside Hawks'], [['The @placeholder lost for the first time this season.', ['Lakeside Hawks']]]),
      record('Scientists at Northfield University found a new species of frog in the Amazon.', ['The frog was found in the Amazon'], ['Northfield University', 'Amazon'], [['The team from @placeholder spent two months in the forest.', ['Northfield University']]]),
      record('Mara Quinn, a teacher from Dover, won the national poetry prize.', ['Mara Quinn wins the poetry prize'], ['Mara Quinn', 'Dover'], [['@placeholder said she wrote most of the poems at night.', ['Mara Quinn']]]),
    ],
    val: [
      record('(CNN) -- Maria Lopez won the city marathon on Sunday, beating defending champion Tom Reed by a minute.', ['Maria Lopez wins the city marathon', 'Tom Reed finishes second'], ['CNN', 'Maria Lopez', 'Tom Reed'], [['@placeholder said she had trained for two years for the race.', ['Maria Lopez']]]),
      record('The town of Eastfield opened a new library, the mayor Jane Holt announced.', ['Eastfield gets a new library'], ['Eastfield', 'Jane Holt'], [['Residents of @placeholder can borrow up to ten books.', ['Eastfield']]]),
      record('Pilot Sara Kim landed the damaged plane safely in Denver after an engine failed over Kansas.', ['Sara Kim lands the plane in Denver', 'An engine failed over Kansas'], ['Sara Kim', 'Denver', 'Kansas'], [
        ['Passengers applauded @placeholder as they left the plane.', ['Sara Kim']],
        ['The plane had left @placeholder an hour earlier.', ['Kansas']],
      ]),
      record('Chef Omar Haddad opened his second restaurant in Lisbon this week.', ['Omar Haddad opens a restaurant in Lisbon'], ['Omar Haddad', 'Lisbon'], [['Critics say @placeholder cooks the best fish in the city.', ['Omar Haddad']]]),
    ],
  },
};

/** The sample data in the official layout, `idx` filled in (record: query idx global, as in SuperGLUE). */
export function officialSampleRows(): OfficialRows {
  const out: OfficialRows = {};
  for (const [task, { train, val }] of Object.entries(ROWS)) out[task] = { train: numbered(train), val: numbered(val) };
  return out;
}
