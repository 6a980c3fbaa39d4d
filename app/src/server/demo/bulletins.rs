//! Three sample bulletins for `lausanne demo`, in English and Arabic, in the
//! programme's own words (its public page). Each is flagged `sample` (the
//! pages label it) and says in its first line that it is a sample. Samples
//! are never mailed to the list.

use std::collections::BTreeMap;

use jiff::Timestamp;

use crate::domain::BulletinForm;
use crate::server::bulletins::store;
use crate::server::db;
use crate::server::db::Db;

const NOTE_EN: &str = "*This is a sample issue, written for the demonstration of this platform. It is not an official publication of the IIIM.*";
const NOTE_AR: &str =
    "*هذا عدد نموذجي كُتب لعرض هذه المنصة، وليس منشورًا رسميًا للآلية الدولية المحايدة والمستقلة.*";

struct Sample {
    slug: &'static str,
    title_en: &'static str,
    summary_en: &'static str,
    body_en: &'static str,
    title_ar: &'static str,
    summary_ar: &'static str,
    body_ar: &'static str,
    /// Days before "now" it was published.
    days_ago: i64,
}

const SAMPLES: [Sample; 3] = [
    Sample {
        slug: "what-the-mechanism-is",
        title_en: "What the Mechanism is, and what it is not",
        summary_en: "An introduction to the IIIM's mandate and a realistic picture of what the accountability process can do.",
        body_en: "## A mechanism for evidence\n\nThe International, Impartial and Independent Mechanism (IIIM) was created to collect, consolidate, preserve and analyse evidence of the most serious crimes committed in Syria, and to prepare files that can support fair and independent criminal proceedings.\n\nIt is not a court. It does not hold trials or pass sentences. Its work is to make sure that when a court, anywhere, is able to hear a case, the evidence is there, preserved and usable.\n\n## Why a bulletin\n\nAccountability is slow, and it is easy to expect too much or too little. This bulletin aims to demystify our work and to give a realistic expectation of the accountability process: what has moved, what has not, and why.\n\n## What you can expect from us\n\n- Regular updates on our work, in Arabic and English.\n- Honest answers about timelines and limits.\n- A safe space to ask questions at the [Lausanne Platform](/en/events).\n",
        title_ar: "ما هي الآلية، وما ليست",
        summary_ar: "تعريف بولاية الآلية الدولية المحايدة والمستقلة، وصورة واقعية عمّا يمكن لمسار المساءلة أن يحققه.",
        body_ar: "## آلية لحفظ الأدلة\n\nأُنشئت الآلية الدولية المحايدة والمستقلة لجمع الأدلة على أخطر الجرائم المرتكبة في سوريا وتوحيدها وحفظها وتحليلها، وإعداد ملفات تدعم إجراءات جنائية عادلة ومستقلة.\n\nالآلية ليست محكمة. فهي لا تعقد محاكمات ولا تصدر أحكامًا. عملها أن تضمن أنه حين تتمكن محكمة، في أي مكان، من النظر في قضية، تكون الأدلة موجودة ومحفوظة وقابلة للاستخدام.\n\n## لماذا هذه النشرة\n\nالمساءلة بطيئة، ومن السهل أن نتوقع منها أكثر أو أقل مما ينبغي. تهدف هذه النشرة إلى تبسيط عملنا وتقديم توقعات واقعية لمسار المساءلة: ما الذي تقدّم، وما الذي لم يتقدّم، ولماذا.\n\n## ما يمكنكم انتظاره منا\n\n- تحديثات منتظمة عن عملنا، بالعربية والإنجليزية.\n- إجابات صريحة عن المواعيد والحدود.\n- مساحة آمنة لطرح الأسئلة في [منصة لوزان](/ar/events).\n",
        days_ago: 120,
    },
    Sample {
        slug: "working-with-civil-society",
        title_en: "How we work with Syrian civil society",
        summary_en: "From the first meetings in Lausanne to a biannual platform, held in person and online.",
        body_en: "## Where it started\n\nEven before it was operational, the IIIM met with Syrian civil society in Lausanne, Switzerland, to introduce itself, its mandate and its role within the accountability landscape. When the Head of the IIIM was appointed, these meetings continued, with updates on progress and more substantive discussions.\n\nIn 2018, a Protocol of Cooperation was signed between the IIIM and the Syrian civil-society organisations that attended.\n\n## The Lausanne Platform today\n\nThese early discussions led to a regular, biannual two-day event, initiated, organised and hosted by the Kingdom of the Netherlands and Switzerland. It moves between the two States but keeps the name: the Lausanne Platform.\n\n> The platform aims to provide a safe space, allowing the IIIM to share in-depth aspects of its work, answer questions and further enhance understanding of its mandate.\n\n## Reaching further\n\nDuring the Covid-19 pandemic we met online. Today we take a hybrid approach: in person when possible, and online so that we can hear from many people for whom travel is not possible. We work actively to include groups who have not yet had a chance to take part, including victim and survivor groups and family associations.\n",
        title_ar: "كيف نعمل مع المجتمع المدني السوري",
        summary_ar: "من اللقاءات الأولى في لوزان إلى منصة تنعقد مرتين في السنة، حضوريًا وعبر الإنترنت.",
        body_ar: "## البداية\n\nحتى قبل أن تبدأ عملها، التقت الآلية بالمجتمع المدني السوري في لوزان بسويسرا، لتعرّف بنفسها وبولايتها وبدورها في مشهد المساءلة. وعند تعيين رئيسة الآلية استمرت هذه اللقاءات، مع تحديثات عن التقدّم ونقاشات أعمق.\n\nوفي عام ٢٠١٨ وُقّع بروتوكول تعاون بين الآلية ومنظمات المجتمع المدني السورية المشاركة.\n\n## منصة لوزان اليوم\n\nأفضت هذه النقاشات الأولى إلى لقاء منتظم يمتد يومين ويُعقد مرتين في السنة، بمبادرة من مملكة هولندا وسويسرا وتنظيمهما واستضافتهما. ينتقل اللقاء بين الدولتين لكنه يحتفظ باسمه: منصة لوزان.\n\n> تهدف المنصة إلى توفير مساحة آمنة تتيح للآلية مشاركة جوانب معمّقة من عملها، والإجابة عن الأسئلة، وتعزيز فهم ولايتها.\n\n## الوصول إلى أبعد\n\nخلال جائحة كوفيد-١٩ التقينا عبر الإنترنت. واليوم نعتمد نهجًا مختلطًا: لقاءات حضورية حين يكون ذلك ممكنًا، ولقاءات عبر الإنترنت لنستمع إلى كثيرين لا يستطيعون السفر. ونعمل بنشاط على إشراك مجموعات لم تتح لها بعد فرصة المشاركة، ومنها مجموعات الضحايا والناجين وروابط العائلات.\n",
        days_ago: 60,
    },
    Sample {
        slug: "children-and-youth-consultation",
        title_en: "What the Children & Youth consultation heard",
        summary_en: "Two days in November 2021 with organisations that document and support children and youth affected by the conflict.",
        body_en: "## Two days of listening\n\nThe first consultations for the IIIM's Children and Youth Strategy were held in person over two days in November 2021, at the Lausanne Platform in Switzerland, with representatives of more than 20 organisations.\n\nOur team facilitated discussions with and between organisations that document crimes against children and youth, or support those affected by the conflict.\n\n## What we heard\n\n1. Children and young people are affected by almost every crime we look at, not only by those that target them.\n2. Documenting their experience needs particular care: consent, safety, and people trained to listen.\n3. Organisations want to know how what they share is used, and what happens next.\n\n## What happens next\n\nWhat we heard is shaping the strategy on accountability for crimes against and affecting children and youth. We will report back here, and at the next Lausanne Platform.\n",
        title_ar: "ما سمعناه في مشاورات الأطفال والشباب",
        summary_ar: "يومان في تشرين الثاني/نوفمبر ٢٠٢١ مع منظمات توثّق أوضاع الأطفال والشباب المتأثرين بالنزاع وتدعمهم.",
        body_ar: "## يومان من الإصغاء\n\nعُقدت المشاورات الأولى لاستراتيجية الآلية بشأن الأطفال والشباب حضوريًا على مدى يومين في تشرين الثاني/نوفمبر ٢٠٢١، خلال منصة لوزان في سويسرا، بمشاركة ممثلين عن أكثر من ٢٠ منظمة.\n\nيسّر فريقنا النقاشات مع المنظمات التي توثّق الجرائم المرتكبة بحق الأطفال والشباب أو تدعم المتأثرين بالنزاع، وفيما بينها.\n\n## ما سمعناه\n\n1. يتأثر الأطفال والشباب بكل الجرائم التي ننظر فيها تقريبًا، لا بتلك التي تستهدفهم وحدها.\n2. توثيق تجاربهم يتطلب عناية خاصة: الموافقة، والسلامة، وأشخاصًا مدرَّبين على الإصغاء.\n3. تريد المنظمات أن تعرف كيف يُستخدم ما تشاركه، وما الذي يحدث بعد ذلك.\n\n## ما التالي\n\nما سمعناه يسهم في صياغة الاستراتيجية الخاصة بالمساءلة عن الجرائم المرتكبة بحق الأطفال والشباب والمؤثرة فيهم. وسنعود إليكم هنا، وفي منصة لوزان القادمة.\n",
        days_ago: 14,
    },
];

/// Adds the samples, published, numbered 1 to 3. Returns how many.
pub async fn load(pool: &Db, now: Timestamp) -> Result<usize, crate::server::demo::DemoError> {
    for (i, sample) in SAMPLES.iter().enumerate() {
        let number = i64::try_from(i + 1).unwrap_or(1);
        let fields = BTreeMap::from([
            ("number".to_owned(), number.to_string()),
            ("slug".to_owned(), sample.slug.to_owned()),
            ("title_en".to_owned(), sample.title_en.to_owned()),
            ("summary_en".to_owned(), sample.summary_en.to_owned()),
            (
                "body_en".to_owned(),
                format!("{NOTE_EN}\n\n{}", sample.body_en),
            ),
            ("title_ar".to_owned(), sample.title_ar.to_owned()),
            ("summary_ar".to_owned(), sample.summary_ar.to_owned()),
            (
                "body_ar".to_owned(),
                format!("{NOTE_AR}\n\n{}", sample.body_ar),
            ),
        ]);
        let form =
            BulletinForm::parse(&fields).map_err(|_| crate::server::demo::DemoError::Bulletin)?;
        let at = now.as_second() - sample.days_ago * 86_400;
        let mut tx = pool.begin_write().await?;
        let id = store(&mut tx, None, &form, true, at)
            .await
            .map_err(|_| crate::server::demo::DemoError::Bulletin)?
            .map_err(|_| crate::server::demo::DemoError::Bulletin)?;
        db::bulletins::publish(&mut tx, id, at).await?;
        tx.commit().await?;
    }
    Ok(SAMPLES.len())
}
