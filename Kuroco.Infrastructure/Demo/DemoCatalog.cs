namespace Kuroco.Infrastructure.Demo;

/// <summary>
/// The demo's words: a fictional tea and homeware company, "Sakura Works" (さくらワークス), with its
/// news and products in English and Japanese. Fixed data, so every demo database reads the same.
/// </summary>
internal static class DemoCatalog
{
    internal sealed record Picture(string FileName, string TitleEn, string TitleJa, string AltEn, string AltJa,
        (byte R, byte G, byte B) From, (byte R, byte G, byte B) To, int DiscX, int DiscY);

    internal sealed record News(string Slug, string Category, string[] Tags, string TitleEn, string TitleJa, string LeadEn, string LeadJa);

    internal sealed record Product(string Slug, decimal Price, string[] Tags, string NameEn, string NameJa, string PitchEn, string PitchJa);

    public static readonly string[] NewsCategories = ["company", "products", "events", "stores", "sustainability"];

    public static readonly string[] ProductStatuses = ["active", "discontinued"];

    public static readonly Picture[] Pictures =
    [
        new("demo-harbour-morning.png", "Harbour in the morning", "朝の港", "Pale blue sky over a calm harbour", "穏やかな港の上に広がる淡い青空", (0x9E, 0xC9, 0xE8), (0xF6, 0xD6, 0xA8), 360, 80),
        new("demo-tea-field.png", "Tea field", "茶畑", "Green rows of tea bushes on a hillside", "丘の斜面に並ぶ緑の茶畑", (0x4E, 0x8A, 0x3C), (0xC8, 0xE0, 0x8C), 100, 70),
        new("demo-sunset-street.png", "Shopping street at sunset", "夕暮れの商店街", "Orange evening light over a shopping street", "商店街を照らすオレンジ色の夕日", (0xF2, 0x8C, 0x38), (0x6A, 0x3D, 0x7A), 240, 190),
        new("demo-cherry-blossom.png", "Cherry blossoms", "桜", "Soft pink cherry blossoms against the sky", "空に映える淡いピンクの桜", (0xF8, 0xC8, 0xD8), (0xA8, 0xC8, 0xF0), 380, 60),
        new("demo-indigo-night.png", "Indigo night", "藍色の夜", "A deep indigo night sky with a bright moon", "明るい月が浮かぶ深い藍色の夜空", (0x1B, 0x26, 0x5C), (0x3E, 0x5C, 0xA8), 400, 70),
        new("demo-ceramic-glaze.png", "Ceramic glaze", "陶器の釉薬", "Close-up of a celadon ceramic glaze", "青磁の釉薬のクローズアップ", (0x8F, 0xB9, 0xA8), (0xE4, 0xEE, 0xE0), 120, 180),
        new("demo-autumn-maple.png", "Autumn maple", "秋のもみじ", "Red and gold maple leaves", "赤と金色に色づいたもみじ", (0xB0, 0x26, 0x1E), (0xF0, 0xB8, 0x40), 300, 150),
        new("demo-snow-mountain.png", "Snowy mountain", "雪山", "A snowy mountain under a clear winter sky", "冬の澄んだ空の下の雪山", (0xD8, 0xE6, 0xF2), (0x58, 0x7C, 0xA8), 160, 60),
        new("demo-matcha.png", "Matcha", "抹茶", "A bowl of frothy green matcha", "きめ細かく泡立った抹茶", (0x6B, 0x8E, 0x23), (0xD9, 0xE8, 0xA6), 240, 135),
        new("demo-workshop.png", "Workshop", "工房", "Warm light in a woodworking workshop", "温かな光が差し込む木工房", (0x7A, 0x4E, 0x2D), (0xE8, 0xC9, 0x9B), 90, 90),
    ];

    public static readonly News[] NewsItems =
    [
        new("spring-tea-collection-2026", "products", ["tea", "seasonal"], "Our spring tea collection arrives in stores", "春の新茶コレクションが店頭に登場",
            "The first flush from our partner farms in Shizuoka is now on the shelves, with three new blends.", "静岡の契約農園から届いた一番茶が、三つの新しいブレンドとともに店頭に並びました。"),
        new("new-store-kyoto", "stores", ["stores", "kyoto"], "A new store opens near Kyoto Station", "京都駅近くに新店舗がオープン",
            "Our twelfth store opens its doors on Saturday, with a tasting counter and a small gallery.", "12店舗目となる新店舗が土曜日にオープンします。試飲カウンターと小さなギャラリーを併設しています。"),
        new("packaging-goes-plastic-free", "sustainability", ["sustainability", "packaging"], "Our tea packaging is now plastic-free", "茶葉のパッケージを脱プラスチック化",
            "Every tea tin and refill pouch is now made from paper and aluminium that can be recycled locally.", "すべての茶缶と詰め替え袋を、地域で回収できる紙とアルミに切り替えました。"),
        new("tea-ceremony-workshop-april", "events", ["events", "workshop"], "Tea ceremony workshop for beginners in April", "4月に初心者向け茶道ワークショップを開催",
            "Learn the basics of whisking matcha and the manners of a simple tea gathering in ninety minutes.", "抹茶の点て方と、簡単な茶会の作法を90分で学べるワークショップです。"),
        new("annual-report-2025", "company", ["company", "report"], "Annual report 2025: steady growth and new partners", "2025年度年次報告：堅調な成長と新たなパートナー",
            "Sales grew by eight percent, and we welcomed four new farms and two ceramic studios as partners.", "売上は8%増加し、新たに4つの農園と2つの陶芸工房がパートナーに加わりました。"),
        new("online-store-renewal", "company", ["online", "website"], "Our online store has a new look", "オンラインストアをリニューアル",
            "Faster pages, clearer product photos and delivery dates you can choose at checkout.", "ページの表示が速くなり、商品写真が見やすくなり、購入時に配達日を選べるようになりました。"),
        new("hojicha-latte-returns", "products", ["tea", "cafe"], "The roasted hojicha latte is back", "ほうじ茶ラテが復活",
            "Our most requested café drink returns for the autumn, made with freshly roasted leaves.", "ご要望の多かったカフェメニューが、焙煎したての茶葉で秋に帰ってきます。"),
        new("summer-opening-hours", "stores", ["stores", "notice"], "Summer opening hours", "夏季の営業時間について",
            "From July to August our stores open one hour earlier, so you can shop before the heat of the day.", "7月から8月まで、暑さを避けてお買い物いただけるよう開店時間を1時間早めます。"),
        new("potters-in-residence", "events", ["ceramics", "events"], "Meet our potters in residence", "工房の陶芸家たちに会いに行こう",
            "Two potters from Mashiko will work in our Tokyo workshop for a month, and visitors are welcome.", "益子の陶芸家2名が1か月間、東京の工房で制作します。見学も歓迎です。"),
        new("solar-roof-warehouse", "sustainability", ["sustainability", "energy"], "Solar panels on our warehouse roof", "物流倉庫の屋根に太陽光パネルを設置",
            "The new panels cover about forty percent of the electricity our warehouse uses in a year.", "新しいパネルで、倉庫が1年間に使う電力の約4割をまかなえる見込みです。"),
        new("gift-wrapping-service", "stores", ["gifts", "stores"], "Free furoshiki gift wrapping in every store", "全店で風呂敷ラッピングを無料で承ります",
            "Ask at the counter and we will wrap your gift in a reusable cotton furoshiki.", "レジでお申し付けいただければ、繰り返し使える綿の風呂敷でお包みします。"),
        new("new-ceo-message", "company", ["company", "people"], "A message from our new president", "新社長からのごあいさつ",
            "Yuki Tanaka takes over as president and shares her plans for the next five years.", "田中由紀が社長に就任し、今後5年間の計画についてお話しします。"),
        new("matcha-tasting-osaka", "events", ["events", "osaka", "tea"], "Matcha tasting evening in Osaka", "大阪で抹茶のテイスティングイベント",
            "Compare four grades of matcha from Uji and Nishio with our tea master.", "当社の茶師と一緒に、宇治と西尾の抹茶4種類を飲み比べます。"),
        new("recycled-glass-cups", "products", ["glass", "sustainability"], "Cups made from recycled glass", "再生ガラスのカップが登場",
            "Our new cold-brew cups are blown in Okinawa from bottles collected on the island.", "新しい水出し用カップは、沖縄で回収した瓶を島内で吹きガラスにしたものです。"),
        new("delivery-delay-typhoon", "stores", ["notice", "delivery"], "Deliveries delayed by the typhoon", "台風による配送遅延のお知らせ",
            "Orders to Kyushu and Okinawa may arrive two to three days later than usual this week.", "今週は九州・沖縄方面へのお届けが通常より2〜3日遅れる場合があります。"),
        new("tea-farm-visit-report", "sustainability", ["tea", "farms"], "Report from our visit to the tea farms", "茶畑訪問レポート",
            "Our buyers spent a week with the farmers who grow our sencha and came back with new ideas.", "バイヤーが煎茶の生産者のもとで1週間を過ごし、新しいアイデアを持ち帰りました。"),
        new("loyalty-programme-launch", "company", ["members", "online"], "Introducing our members programme", "会員プログラムを開始します",
            "Collect points in stores and online, and get early access to seasonal collections.", "店舗とオンラインでポイントが貯まり、季節のコレクションをいち早くお求めいただけます。"),
        new("new-year-fukubukuro", "products", ["gifts", "seasonal"], "New Year lucky bags on sale from 2 January", "1月2日から福袋を販売",
            "Each bag holds a tea, a cup and a surprise from our ceramic partners.", "福袋には、お茶とカップ、そして陶芸パートナーからのお楽しみが入っています。"),
        new("sapporo-pop-up", "stores", ["stores", "sapporo"], "Pop-up store at the Sapporo Snow Festival", "さっぽろ雪まつりにポップアップストアを出店",
            "Warm up with a hot genmaicha and browse our winter collection near Odori Park.", "大通公園の近くで温かい玄米茶を片手に、冬のコレクションをご覧ください。"),
        new("water-saving-farms", "sustainability", ["sustainability", "farms"], "Helping our farms save water", "契約農園の節水を支援",
            "Drip irrigation now waters half of our partner fields and uses a third less water.", "点滴かんがいを導入した畑が全体の半分になり、水の使用量が3分の1減りました。"),
        new("kids-tea-class", "events", ["events", "family"], "Tea class for children during the summer holidays", "夏休みこども茶道教室",
            "Children aged eight to twelve can learn to make and serve tea to their families.", "8歳から12歳のお子さまが、お茶をいれて家族にふるまう体験ができます。"),
        new("award-design-2026", "company", ["design", "award"], "Our teapot wins a Good Design Award", "急須がグッドデザイン賞を受賞",
            "The Kaze teapot was recognised for its drip-free spout and easy-to-clean strainer.", "「風」急須が、液だれしない注ぎ口と洗いやすい茶こしで評価されました。"),
        new("autumn-sweets-pairing", "products", ["tea", "sweets", "seasonal"], "Autumn sweets to pair with our teas", "お茶に合う秋の和菓子",
            "We worked with a Kanazawa confectioner on three sweets made for our roasted teas.", "金沢の和菓子店と、焙じ茶に合う3種類のお菓子をつくりました。"),
        new("store-staff-training", "company", ["people", "stores"], "Every store now has a certified tea adviser", "全店に認定ティーアドバイザーを配置",
            "Our staff completed a six-month course, so you can always ask for brewing advice.", "スタッフが半年間の研修を修了し、いつでも淹れ方のご相談に応じられるようになりました。"),
        new("refill-station-pilot", "sustainability", ["sustainability", "stores"], "Refill stations in three stores", "3店舗に量り売りステーションを設置",
            "Bring your own tin and buy exactly the amount of tea you need.", "お手持ちの缶をお持ちいただければ、必要な分だけお茶をお買い求めいただけます。"),
        new("winter-illumination-event", "events", ["events", "seasonal"], "Winter evening market at our Tokyo flagship", "東京本店で冬の夜市を開催",
            "Local makers, warm drinks and lanterns in the courtyard on the first weekend of December.", "12月の第1週末、中庭に地元の作り手と温かい飲み物、灯りが集まります。"),
        new("english-tea-guide", "products", ["guide", "tea"], "A new English guide to Japanese tea", "日本茶の英語ガイドを発行",
            "A free booklet for visitors explains the main teas, how to brew them and what to eat with them.", "海外からのお客さま向けに、主なお茶と淹れ方、合う食べ物を紹介する無料冊子をつくりました。"),
        new("nagoya-store-renovation", "stores", ["stores", "nagoya"], "Our Nagoya store reopens after renovation", "名古屋店が改装を終えて再オープン",
            "The store now has a larger café and step-free access from the street.", "カフェが広くなり、通りから段差なく入れるようになりました。"),
        new("carbon-report-2025", "sustainability", ["sustainability", "report"], "Our first carbon footprint report", "初めてのカーボンフットプリント報告書",
            "We measured the emissions of every product line and set targets for 2030.", "すべての商品ラインの排出量を測定し、2030年に向けた目標を定めました。"),
        new("spring-holiday-closures", "stores", ["notice", "stores"], "Store hours during Golden Week", "ゴールデンウィーク期間の営業について",
            "All stores stay open during the holidays; the online store ships again from 7 May.", "期間中も全店舗が営業します。オンラインストアの発送は5月7日から再開します。"),
    ];

    public static readonly Product[] Products =
    [
        new("shizuoka-sencha", 1620m, ["tea", "green-tea"], "Shizuoka Sencha", "静岡煎茶", "A bright, grassy everyday sencha from the hills above Kakegawa.", "掛川の丘陵で育った、すっきりとした香りの毎日の煎茶です。"),
        new("uji-matcha-ceremonial", 3240m, ["tea", "matcha"], "Uji Matcha, Ceremonial Grade", "宇治抹茶（濃茶用）", "Stone-ground matcha with a deep umami, made for thick tea.", "石臼で挽いた、旨みの深い濃茶向けの抹茶です。"),
        new("roasted-hojicha", 1080m, ["tea", "roasted"], "Roasted Hojicha", "ほうじ茶", "Low in caffeine, with a warm, toasty aroma for the evening.", "カフェインが少なく、香ばしい香りで夜にもおすすめです。"),
        new("genmaicha-with-matcha", 980m, ["tea", "blend"], "Genmaicha with Matcha", "抹茶入り玄米茶", "Sencha and toasted rice, dusted with a little matcha.", "煎茶と炒った玄米に、抹茶を少し加えました。"),
        new("kaze-teapot", 6600m, ["teaware", "design"], "Kaze Teapot", "「風」急須", "A side-handled teapot with a drip-free spout and a fine steel strainer.", "液だれしない注ぎ口と細かなステンレス茶こしを備えた横手急須です。"),
        new("celadon-tea-cup-set", 4400m, ["teaware", "ceramics"], "Celadon Tea Cup Set", "青磁湯のみセット", "Two handmade cups in a soft celadon glaze, fired in Arita.", "有田で焼かれた、やわらかな青磁の手づくり湯のみ2客組です。"),
        new("cold-brew-bottle", 2750m, ["teaware", "summer"], "Cold-Brew Bottle", "水出しボトル", "A heat-resistant glass bottle with a filter for iced tea overnight.", "一晩で水出し茶がつくれる、茶こし付きの耐熱ガラスボトルです。"),
        new("recycled-glass-cup", 1650m, ["glass", "sustainability"], "Recycled Glass Cup", "再生ガラスのカップ", "Blown in Okinawa from collected bottles; each one is slightly different.", "沖縄で回収した瓶から吹いたカップで、ひとつひとつ表情が異なります。"),
        new("bamboo-whisk", 2200m, ["matcha", "teaware"], "Bamboo Matcha Whisk", "竹の茶筅", "Eighty prongs, split by hand in Takayama, for a fine froth.", "高山で手割りした80本立ての茶筅で、きめ細かく点てられます。"),
        new("tea-caddy-cherry-bark", 8800m, ["teaware", "craft"], "Cherry-Bark Tea Caddy", "桜皮の茶筒", "A tea caddy covered in polished cherry bark, made in Kakunodate.", "角館でつくられた、磨いた桜の樹皮を貼った茶筒です。"),
        new("furoshiki-cotton", 1980m, ["gifts", "textile"], "Cotton Furoshiki", "綿の風呂敷", "A 70 cm cotton wrapping cloth printed with a wave pattern.", "青海波を染めた70cmの綿の風呂敷です。"),
        new("gyokuro-yame", 4320m, ["tea", "green-tea"], "Yame Gyokuro", "八女玉露", "Shade-grown gyokuro with a sweet, brothy taste; brew it cool.", "覆いをかけて育てた、甘くまろやかな玉露です。ぬるめのお湯でどうぞ。"),
        new("wakocha-black-tea", 1400m, ["tea", "black-tea"], "Wakocha Japanese Black Tea", "和紅茶", "A gentle black tea from Kagoshima with notes of honey.", "蜂蜜のような香りのある、鹿児島のやさしい和紅茶です。"),
        new("tea-tasting-set", 3300m, ["gifts", "tea"], "Tea Tasting Set", "飲み比べセット", "Five teas in small tins, with a card on how to brew each one.", "5種類のお茶を小缶に詰め、それぞれの淹れ方カードを添えました。"),
        new("yuzu-sencha", 1296m, ["tea", "blend", "seasonal"], "Yuzu Sencha", "柚子煎茶", "Sencha blended with dried yuzu peel from Kochi.", "高知産の柚子の皮を合わせた煎茶です。"),
        new("iron-kettle-small", 15400m, ["teaware", "craft"], "Small Iron Kettle", "小ぶりの鉄瓶", "A 0.8 litre Nambu iron kettle that softens the taste of water.", "お湯の味をまろやかにする、容量0.8リットルの南部鉄瓶です。"),
        new("linen-tea-towel", 1320m, ["textile", "kitchen"], "Linen Tea Towel", "リネンの茶巾", "A soft linen towel for drying cups and wiping the tea tray.", "湯のみを拭いたり、茶盆を拭いたりするのに便利な柔らかいリネンです。"),
        new("sakura-sencha-limited", 1728m, ["tea", "seasonal"], "Sakura Sencha (Limited)", "桜煎茶（限定）", "Sencha with salted cherry leaves, sold only in spring.", "桜の葉の塩漬けを合わせた、春だけの煎茶です。"),
        new("travel-tea-tumbler", 3850m, ["teaware", "travel"], "Travel Tea Tumbler", "携帯用ティータンブラー", "A double-walled tumbler with a removable infuser for loose tea.", "茶葉用の取り外せるこし器が付いた二重構造のタンブラーです。"),
        new("ceramic-dripper-mino", 3080m, ["teaware", "ceramics"], "Mino Ceramic Dripper", "美濃焼のドリッパー", "Made in Mino for pour-over hojicha and coffee alike.", "ほうじ茶にもコーヒーにも使える、美濃でつくられたドリッパーです。"),
    ];

    /// <summary>Middle paragraphs of news bodies (English, Japanese), chosen by position.</summary>
    public static readonly (string En, string Ja)[] NewsParagraphs =
    [
        ("We visited the farms in March and tasted each lot before choosing the ones you will find in stores.", "3月に農園を訪れ、ロットごとに味を確かめてから店頭に並べるお茶を選びました。"),
        ("Our staff will be happy to help you choose, and every store offers a free tasting on weekends.", "スタッフがお選びするお手伝いをいたします。週末は全店で無料の試飲も行っています。"),
        ("This change was suggested by customers, and we thank everyone who wrote to us.", "この取り組みはお客さまからのご提案がきっかけです。お便りをくださった皆さまに感謝いたします。"),
        ("Places are limited, so please book through the online store or at any of our counters.", "定員がございますので、オンラインストアまたは店頭でご予約ください。"),
        ("We will share what we learn in a follow-up report later this year.", "得られた成果は、年内に改めてご報告します。"),
    ];

    public static readonly (string En, string Ja)[] NewsPoints =
    [
        ("Available in all stores and online", "全店舗とオンラインストアで取り扱い"),
        ("Members collect double points during the first week", "最初の1週間は会員ポイント2倍"),
        ("Ask our tea advisers for brewing tips", "淹れ方はティーアドバイザーにお尋ねください"),
        ("Made with our partner farms and studios", "契約農園・工房とともに制作"),
    ];
}
