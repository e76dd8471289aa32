<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="id" sourcelanguage="en">
<context>
    <name>AiPrefixDialog</name>
    <message>
        <source>— none —</source>
        <translation>— tidak ada —</translation>
    </message>
    <message>
        <source>Edit AI prefix</source>
        <translation>Ubah prefiks AI</translation>
    </message>
    <message>
        <source>New AI prefix</source>
        <translation>Prefiks AI baru</translation>
    </message>
    <message>
        <source>e.g. &quot;ai:&quot; or &quot;=&quot; — a message starting with it is a question</source>
        <translation>mis. &quot;ai:&quot; atau &quot;=&quot; — pesan yang diawali prefiks ini adalah pertanyaan</translation>
    </message>
    <message>
        <source>Shown to users in the help list</source>
        <translation>Ditampilkan kepada pengguna di daftar bantuan</translation>
    </message>
    <message>
        <source>Enabled (the bot answers questions with this prefix)</source>
        <translation>Aktif (bot menjawab pertanyaan dengan prefiks ini)</translation>
    </message>
    <message>
        <source>{name} (inactive)</source>
        <translation>{name} (tidak aktif)</translation>
    </message>
    <message>
        <source>Add an AI service in Connections first; until then this prefix cannot answer.</source>
        <translation>Tambahkan layanan AI di Koneksi dulu; sampai saat itu prefiks ini tidak bisa menjawab.</translation>
    </message>
    <message>
        <source>Empty: the AI service&apos;s own system prompt is used.</source>
        <translation>Kosong: prompt sistem bawaan layanan AI yang dipakai.</translation>
    </message>
    <message>
        <source>Contact tags, comma-separated; empty = every allowed contact</source>
        <translation>Tag kontak, dipisah koma; kosong = semua kontak yang diizinkan</translation>
    </message>
    <message numerus="yes">
        <source>Used %n time(s) so far.</source>
        <translation>
            <numerusform>Sudah dipakai %n kali.</numerusform>
        </translation>
    </message>
    <message>
        <source>Prefix *</source>
        <translation>Prefiks *</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Deskripsi</translation>
    </message>
    <message>
        <source>AI service</source>
        <translation>Layanan AI</translation>
    </message>
    <message>
        <source>Own system prompt</source>
        <translation>Prompt sistem sendiri</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>Audiens</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>Pemakaian</translation>
    </message>
</context>
<context>
    <name>AiPrefixesTab</name>
    <message>
        <source>(connection deleted)</source>
        <translation>(koneksi dihapus)</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Baru…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Ubah…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Nonaktifkan</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Add an AI service in Connections first; a prefix sends its questions to one.</source>
        <translation>Tambahkan layanan AI di Koneksi dulu; prefiks mengirim pertanyaannya ke sana.</translation>
    </message>
    <message>
        <source>No AI prefix yet. A message that starts with a prefix (say &quot;ai:&quot;) goes to an AI service as a question, and its answer is the reply.</source>
        <translation>Belum ada prefiks AI. Pesan yang diawali sebuah prefiks (misalnya &quot;ai:&quot;) dikirim ke layanan AI sebagai pertanyaan, dan jawabannya menjadi balasan.</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Aktifkan</translation>
    </message>
    <message>
        <source>AI prefix “{prefix}” saved.</source>
        <translation>Prefiks AI “{prefix}” disimpan.</translation>
    </message>
    <message>
        <source>Delete AI prefix</source>
        <translation>Hapus prefiks AI</translation>
    </message>
    <message>
        <source>Delete the AI prefix “{prefix}” ({name})?</source>
        <translation>Hapus prefiks AI “{prefix}” ({name})?</translation>
    </message>
    <message>
        <source>AI prefix “{prefix}” deleted.</source>
        <translation>Prefiks AI “{prefix}” dihapus.</translation>
    </message>
</context>
<context>
    <name>AlarmDialog</name>
    <message>
        <source>A PI tag</source>
        <translation>Tag PI</translation>
    </message>
    <message>
        <source>A SQL trigger&apos;s first value</source>
        <translation>Nilai pertama pemicu SQL</translation>
    </message>
    <message>
        <source>Above the high limit</source>
        <translation>Di atas batas atas</translation>
    </message>
    <message>
        <source>Below the low limit</source>
        <translation>Di bawah batas bawah</translation>
    </message>
    <message>
        <source>Outside the low and high limits</source>
        <translation>Di luar batas bawah dan atas</translation>
    </message>
    <message>
        <source>Equals a state (digital tag)</source>
        <translation>Sama dengan sebuah status (tag digital)</translation>
    </message>
    <message>
        <source>Bad value or system state</source>
        <translation>Nilai buruk atau status sistem</translation>
    </message>
    <message>
        <source>No new value for a while (stale)</source>
        <translation>Tidak ada nilai baru untuk beberapa waktu (basi)</translation>
    </message>
    <message>
        <source>Critical</source>
        <translation>Kritis</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Tinggi</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Sedang</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Rendah</translation>
    </message>
    <message>
        <source>Edit alarm</source>
        <translation>Ubah alarm</translation>
    </message>
    <message>
        <source>New alarm</source>
        <translation>Alarm baru</translation>
    </message>
    <message>
        <source>Appears in every message, e.g. Drum pressure</source>
        <translation>Muncul di setiap pesan, mis. Tekanan drum</translation>
    </message>
    <message>
        <source>Switched on (checked every interval, people are told)</source>
        <translation>Menyala (diperiksa setiap interval, orang diberi tahu)</translation>
    </message>
    <message>
        <source>For the engineers: what it means, what to do</source>
        <translation>Untuk para engineer: apa artinya, apa yang harus dilakukan</translation>
    </message>
    <message>
        <source>No PI connection yet — add one in Connections</source>
        <translation>Belum ada koneksi PI — tambahkan di Koneksi</translation>
    </message>
    <message>
        <source> (switched off)</source>
        <translation> (dimatikan)</translation>
    </message>
    <message>
        <source>The PI tag, e.g. BOILER1.DRUM.PRESS</source>
        <translation>Tag PI, mis. BOILER1.DRUM.PRESS</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <source>No SQL trigger yet — make one in Triggers</source>
        <translation>Belum ada pemicu SQL — buat di Pemicu</translation>
    </message>
    <message>
        <source>e.g. 45</source>
        <translation>mis. 45</translation>
    </message>
    <message>
        <source>e.g. 10</source>
        <translation>mis. 10</translation>
    </message>
    <message>
        <source>The digital state that raises it, e.g. Tripped</source>
        <translation>Status digital yang memicunya, mis. Tripped</translation>
    </message>
    <message>
        <source> min</source>
        <translation> mnt</translation>
    </message>
    <message>
        <source>How far back over the limit the value must go before the alarm clears, so a value hovering at the limit does not raise and clear again and again.</source>
        <translation>Seberapa jauh nilai harus kembali melewati batas sebelum alarm normal, agar nilai yang naik-turun di sekitar batas tidak berulang kali memicu dan normal lagi.</translation>
    </message>
    <message>
        <source>raise at once</source>
        <translation>langsung picu</translation>
    </message>
    <message>
        <source>The condition must hold this long before the alarm is raised; a short spike is ignored.</source>
        <translation>Kondisi harus bertahan selama ini sebelum alarm dipicu; lonjakan singkat diabaikan.</translation>
    </message>
    <message>
        <source>Shown after the value when the tag has none, e.g. bar</source>
        <translation>Ditampilkan setelah nilai bila tag tidak punya satuan, mis. bar</translation>
    </message>
    <message>
        <source>Empty: the standard message, e.g. 🟠 #12 Drum pressure HIGH 46.2 bar &gt; 45 since 10:42 — reply *ack 12*</source>
        <translation>Kosong: pesan standar, mis. 🟠 #12 Tekanan drum HIGH 46.2 bar &gt; 45 sejak 10:42 — balas *ack 12*</translation>
    </message>
    <message>
        <source>May use %1; {number} is required (people reply ack {number}).</source>
        <translation>Boleh memakai %1; {number} wajib ada (orang membalas ack {number}).</translation>
    </message>
    <message>
        <source>Then, if nobody acknowledges or it is not delivered, also tell</source>
        <translation>Lalu, jika tidak ada yang ack atau pesan tidak terkirim, beri tahu juga</translation>
    </message>
    <message>
        <source>Not acknowledged within</source>
        <translation>Belum di-ack dalam</translation>
    </message>
    <message>
        <source>Not delivered to any phone within</source>
        <translation>Tidak terkirim ke ponsel mana pun dalam</translation>
    </message>
    <message>
        <source>WhatsApp reports when a message reaches a phone. A phone that is off, or the bot&apos;s session being down, counts as not delivered; those people also get the alarm by e-mail when they have an address.</source>
        <translation>WhatsApp melaporkan saat pesan sampai di ponsel. Ponsel yang mati, atau sesi bot yang terputus, dihitung tidak terkirim; orang-orang itu juga mendapat alarm lewat e-mail bila punya alamat.</translation>
    </message>
    <message>
        <source>Who is told first *</source>
        <translation>Yang diberi tahu pertama *</translation>
    </message>
    <message>
        <source>Contact tags, comma-separated; empty = anyone it is sent to</source>
        <translation>Tag kontak, dipisah koma; kosong = siapa pun yang dikirimi</translation>
    </message>
    <message>
        <source>Quiet hours</source>
        <translation>Jam tenang</translation>
    </message>
    <message>
        <source>A daily window (it may run past midnight): a raise in it is recorded, and people are told when the window ends. A critical alarm is always sent at once.</source>
        <translation>Rentang harian (boleh melewati tengah malam): alarm yang terpicu di dalamnya dicatat, dan orang diberi tahu saat rentang berakhir. Alarm kritis selalu langsung dikirim.</translation>
    </message>
    <message>
        <source>Name *</source>
        <translation>Nama *</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Deskripsi</translation>
    </message>
    <message>
        <source>Watches</source>
        <translation>Memantau</translation>
    </message>
    <message>
        <source>Connection *</source>
        <translation>Koneksi *</translation>
    </message>
    <message>
        <source>Tag *</source>
        <translation>Tag *</translation>
    </message>
    <message>
        <source>Trigger *</source>
        <translation>Pemicu *</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Kondisi</translation>
    </message>
    <message>
        <source>High limit *</source>
        <translation>Batas atas *</translation>
    </message>
    <message>
        <source>Low limit *</source>
        <translation>Batas bawah *</translation>
    </message>
    <message>
        <source>State *</source>
        <translation>Status *</translation>
    </message>
    <message>
        <source>Stale after</source>
        <translation>Basi setelah</translation>
    </message>
    <message>
        <source>Deadband</source>
        <translation>Deadband</translation>
    </message>
    <message>
        <source>Minimum duration</source>
        <translation>Durasi minimum</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Tingkat</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Satuan</translation>
    </message>
    <message>
        <source>Check every</source>
        <translation>Periksa setiap</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Pesan</translation>
    </message>
    <message>
        <source>Who may acknowledge</source>
        <translation>Yang boleh meng-ack</translation>
    </message>
    <message>
        <source>Test against the current value</source>
        <translation>Uji dengan nilai saat ini</translation>
    </message>
    <message>
        <source>Reads the value now and shows whether the condition holds and the exact message people would get. Nothing is sent and the alarm&apos;s state does not change.</source>
        <translation>Membaca nilai sekarang dan menunjukkan apakah kondisinya terpenuhi serta pesan persis yang akan diterima orang. Tidak ada yang dikirim dan status alarm tidak berubah.</translation>
    </message>
    <message>
        <source>The message people would get</source>
        <translation>Pesan yang akan diterima orang</translation>
    </message>
    <message>
        <source>The tag over the last hours, with the alarm&apos;s limits as dashed lines.</source>
        <translation>Tag selama beberapa jam terakhir, dengan batas alarm sebagai garis putus-putus.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Test&lt;/b&gt; of the form as it is now (nothing is saved)</source>
        <translation>&lt;b&gt;Uji&lt;/b&gt; formulir seperti saat ini (tidak ada yang disimpan)</translation>
    </message>
    <message>
        <source>(connection deleted) — choose another</source>
        <translation>(koneksi dihapus) — pilih yang lain</translation>
    </message>
    <message>
        <source>(trigger deleted) — choose another</source>
        <translation>(pemicu dihapus) — pilih yang lain</translation>
    </message>
    <message>
        <source>Test alarm</source>
        <translation>Alarm uji</translation>
    </message>
    <message>
        <source>Choose the PI connection the tag is read from.</source>
        <translation>Pilih koneksi PI tempat tag dibaca.</translation>
    </message>
    <message>
        <source>Give the PI tag to watch.</source>
        <translation>Isi tag PI yang dipantau.</translation>
    </message>
    <message>
        <source>Choose the SQL trigger whose first value is watched.</source>
        <translation>Pilih pemicu SQL yang nilai pertamanya dipantau.</translation>
    </message>
    <message>
        <source>The high limit must be a number, not “{value}”.</source>
        <translation>Batas atas harus berupa angka, bukan “{value}”.</translation>
    </message>
    <message>
        <source>The low limit must be a number, not “{value}”.</source>
        <translation>Batas bawah harus berupa angka, bukan “{value}”.</translation>
    </message>
    <message>
        <source>The test cannot run yet:</source>
        <translation>Uji belum bisa dijalankan:</translation>
    </message>
    <message>
        <source>Reading the current value…</source>
        <translation>Membaca nilai saat ini…</translation>
    </message>
    <message>
        <source>no value</source>
        <translation>tidak ada nilai</translation>
    </message>
    <message>
        <source>Current value: &lt;b&gt;{value}&lt;/b&gt;</source>
        <translation>Nilai saat ini: &lt;b&gt;{value}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>The condition holds{why}: the alarm would be raised and people would get the message below.</source>
        <translation>Kondisi terpenuhi{why}: alarm akan dipicu dan orang akan menerima pesan di bawah.</translation>
    </message>
    <message>
        <source>The condition does not hold: the alarm stays normal. Below is the message people would get if it did, with an example value.</source>
        <translation>Kondisi tidak terpenuhi: alarm tetap normal. Di bawah ini pesan yang akan diterima orang seandainya terpenuhi, dengan nilai contoh.</translation>
    </message>
    <message>
        <source>Choose a PI or demo connection first; its tags are searched.</source>
        <translation>Pilih koneksi PI atau demo dulu; tag-tagnya yang dicari.</translation>
    </message>
</context>
<context>
    <name>AlarmSummary</name>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} mnt</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} jam</translation>
    </message>
    <message>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} jam {minutes:02d} mnt</translation>
    </message>
    <message>
        <source>{days} d {hours} h</source>
        <translation>{days} hr {hours} jam</translation>
    </message>
    <message>
        <source>{who}: read {time}</source>
        <translation>{who}: dibaca {time}</translation>
    </message>
    <message>
        <source>{who}: delivered {time}</source>
        <translation>{who}: sampai {time}</translation>
    </message>
    <message>
        <source>{who}: sent {time}, not delivered</source>
        <translation>{who}: dikirim {time}, belum sampai</translation>
    </message>
    <message>
        <source>{who}: waiting to be sent</source>
        <translation>{who}: menunggu dikirim</translation>
    </message>
    <message>
        <source>{who}: not sent</source>
        <translation>{who}: tidak terkirim</translation>
    </message>
    <message>
        <source>nobody told yet</source>
        <translation>belum ada yang diberi tahu</translation>
    </message>
    <message>
        <source>shelved until {time}</source>
        <translation>ditunda sampai {time}</translation>
    </message>
    <message>
        <source>acknowledged by {name} {time}</source>
        <translation>di-ack oleh {name} {time}</translation>
    </message>
    <message>
        <source>ACTIVE, not acknowledged</source>
        <translation>AKTIF, belum di-ack</translation>
    </message>
    <message>
        <source>to {who}: not sent yet</source>
        <translation>ke {who}: belum dikirim</translation>
    </message>
    <message>
        <source>to {who}: not sent</source>
        <translation>ke {who}: tidak terkirim</translation>
    </message>
    <message>
        <source>sent to {who} {time}, not delivered yet</source>
        <translation>dikirim ke {who} {time}, belum sampai</translation>
    </message>
    <message>
        <source>delivered to {who} {time}</source>
        <translation>sampai ke {who} {time}</translation>
    </message>
    <message>
        <source>, read {time}</source>
        <translation>, dibaca {time}</translation>
    </message>
    <message>
        <source>Raised at {time}</source>
        <translation>Muncul pukul {time}</translation>
    </message>
    <message>
        <source>Raised at the value {value}</source>
        <translation>Muncul pada nilai {value}</translation>
    </message>
    <message>
        <source>Filter open alarms…</source>
        <translation>Saring alarm yang terbuka…</translation>
    </message>
    <message>
        <source>Comment (what you did or why)</source>
        <translation>Komentar (apa yang Anda lakukan atau alasannya)</translation>
    </message>
    <message>
        <source>How long the shelved alarm stays silent</source>
        <translation>Berapa lama alarm yang ditunda tetap diam</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Ack</translation>
    </message>
    <message>
        <source>Acknowledge the selected alarm in your name with the comment, as “ack 12” on WhatsApp does; everyone it went to hears who acknowledged it.</source>
        <translation>Ack alarm yang dipilih atas nama Anda dengan komentarnya, seperti “ack 12” di WhatsApp; semua yang menerima alarm itu diberi tahu siapa yang meng-ack.</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>Tunda</translation>
    </message>
    <message>
        <source>Silence the selected alarm for the chosen time with the comment: no messages, no escalation; everyone it went to hears who shelved it.</source>
        <translation>Diamkan alarm yang dipilih selama waktu yang dipilih dengan komentarnya: tanpa pesan, tanpa eskalasi; semua yang menerima alarm itu diberi tahu siapa yang menundanya.</translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation>Akhiri penundaan</translation>
    </message>
    <message>
        <source>End the shelving now; the next check tells people if it is still active.</source>
        <translation>Akhiri penundaan sekarang; pemeriksaan berikutnya memberi tahu orang jika alarm masih aktif.</translation>
    </message>
    <message>
        <source>History…</source>
        <translation>Riwayat…</translation>
    </message>
    <message>
        <source>The selected alarm&apos;s history: who was told, delivered and read, who acted.</source>
        <translation>Riwayat alarm yang dipilih: siapa yang diberi tahu, sampai dan dibaca, siapa yang bertindak.</translation>
    </message>
    <message>
        <source>for</source>
        <translation>selama</translation>
    </message>
    <message>
        <source>&lt;b&gt;Alarm summary&lt;/b&gt; — loading…</source>
        <translation>&lt;b&gt;Ringkasan alarm&lt;/b&gt; — memuat…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Alarm summary&lt;/b&gt; — {open} open: {active} active, {acked} acknowledged, {shelved} shelved</source>
        <translation>&lt;b&gt;Ringkasan alarm&lt;/b&gt; — {open} terbuka: {active} aktif, {acked} di-ack, {shelved} ditunda</translation>
    </message>
    <message>
        <source>Alarm {name} is no longer shelved; the next check tells people if it is still active.</source>
        <translation>Alarm {name} tidak lagi ditunda; pemeriksaan berikutnya memberi tahu orang jika alarm masih aktif.</translation>
    </message>
    <message>
        <source>Alarm #{number} {name}</source>
        <translation>Alarm #{number} {name}</translation>
    </message>
</context>
<context>
    <name>AlarmsTab</name>
    <message>
        <source>switched off</source>
        <translation>dimatikan</translation>
    </message>
    <message>
        <source>shelved until {time}</source>
        <translation>ditunda sampai {time}</translation>
    </message>
    <message>
        <source>acknowledged by {name}</source>
        <translation>di-ack oleh {name}</translation>
    </message>
    <message>
        <source>ACTIVE since {time}</source>
        <translation>AKTIF sejak {time}</translation>
    </message>
    <message>
        <source>pending (condition seen at {time})</source>
        <translation>menunggu (kondisi terlihat pukul {time})</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>normal</translation>
    </message>
    <message>
        <source>trigger {name}</source>
        <translation>pemicu {name}</translation>
    </message>
    <message>
        <source>(deleted trigger)</source>
        <translation>(pemicu dihapus)</translation>
    </message>
    <message>
        <source>(deleted connection)</source>
        <translation>(koneksi dihapus)</translation>
    </message>
    <message>
        <source>&lt; {low} or &gt; {high}</source>
        <translation>&lt; {low} atau &gt; {high}</translation>
    </message>
    <message>
        <source>no new value for {minutes} min</source>
        <translation>tidak ada nilai baru selama {minutes} mnt</translation>
    </message>
    <message>
        <source>bad value or system state</source>
        <translation>nilai buruk atau status sistem</translation>
    </message>
    <message>
        <source>Nobody can be told</source>
        <translation>Tidak ada yang bisa diberi tahu</translation>
    </message>
    <message>
        <source>Nobody on a later level can be told</source>
        <translation>Tidak ada yang bisa diberi tahu di level berikutnya</translation>
    </message>
    <message>
        <source>Read at {time}</source>
        <translation>Dibaca pukul {time}</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>Belum diperiksa</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktif</translation>
    </message>
    <message>
        <source>shelved</source>
        <translation>ditunda</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>di-ack</translation>
    </message>
    <message>
        <source>cleared</source>
        <translation>normal kembali</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>ditutup</translation>
    </message>
    <message>
        <source>active, told level {level}</source>
        <translation>aktif, level {level} diberi tahu</translation>
    </message>
    <message>
        <source> (sent late)</source>
        <translation> (terkirim terlambat)</translation>
    </message>
    <message>
        <source>{name} at {time}</source>
        <translation>{name} pukul {time}</translation>
    </message>
    <message>
        <source>raised</source>
        <translation>terpicu</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>terkirim</translation>
    </message>
    <message>
        <source>escalated</source>
        <translation>dieskalasi</translation>
    </message>
    <message>
        <source>unshelved</source>
        <translation>penundaan diakhiri</translation>
    </message>
    <message>
        <source>sent by e-mail</source>
        <translation>dikirim lewat e-mail</translation>
    </message>
    <message>
        <source> (not acknowledged in time)</source>
        <translation> (tidak di-ack tepat waktu)</translation>
    </message>
    <message>
        <source> (not delivered in time)</source>
        <translation> (tidak terkirim tepat waktu)</translation>
    </message>
    <message>
        <source>: {}</source>
        <translation>: {}</translation>
    </message>
    <message>
        <source> (value {})</source>
        <translation> (nilai {})</translation>
    </message>
    <message>
        <source> by {}</source>
        <translation> oleh {}</translation>
    </message>
    <message>
        <source> on level {level}</source>
        <translation> di level {level}</translation>
    </message>
    <message>
        <source> to level {level}</source>
        <translation> ke level {level}</translation>
    </message>
    <message>
        <source> (nobody to tell)</source>
        <translation> (tidak ada yang bisa diberi tahu)</translation>
    </message>
    <message>
        <source> until {time}</source>
        <translation> sampai {time}</translation>
    </message>
    <message>
        <source>{time}  {what} by {name}</source>
        <translation>{time}  {what} oleh {name}</translation>
    </message>
    <message>
        <source> (via {via})</source>
        <translation> (lewat {via})</translation>
    </message>
    <message>
        <source>Severity {severity}; value {value}</source>
        <translation>Tingkat {severity}; nilai {value}</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Riwayat</translation>
    </message>
    <message>
        <source>(none recorded)</source>
        <translation>(tidak ada catatan)</translation>
    </message>
    <message>
        <source>Acknowledgements and shelving</source>
        <translation>Ack dan penundaan</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>belum ada</translation>
    </message>
    <message>
        <source>Delivered and read</source>
        <translation>Sampai dan dibaca</translation>
    </message>
    <message>
        <source>no message sent yet</source>
        <translation>belum ada pesan terkirim</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Baru…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Ubah…</translation>
    </message>
    <message>
        <source>Switch off</source>
        <translation>Matikan</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Filter alarm events…</source>
        <translation>Saring kejadian alarm…</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>Ack</translation>
    </message>
    <message>
        <source>Acknowledge the selected alarm event in your name, as “ack 12” on WhatsApp does; escalation to the next level stops.</source>
        <translation>Ack kejadian alarm yang dipilih atas nama Anda, seperti “ack 12” di WhatsApp; eskalasi ke level berikutnya berhenti.</translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation>Akhiri penundaan</translation>
    </message>
    <message>
        <source>End the shelving of the selected event&apos;s alarm now; the next check tells people if it is still active.</source>
        <translation>Akhiri penundaan alarm dari kejadian yang dipilih sekarang; pemeriksaan berikutnya memberi tahu orang jika alarm masih aktif.</translation>
    </message>
    <message>
        <source>Open events only</source>
        <translation>Hanya kejadian terbuka</translation>
    </message>
    <message>
        <source>Select an event to see its history and who acknowledged or shelved it.</source>
        <translation>Pilih sebuah kejadian untuk melihat riwayatnya dan siapa yang meng-ack atau menundanya.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent alarm events&lt;/b&gt; — the number is what people reply with (ack 12)</source>
        <translation>&lt;b&gt;Kejadian alarm terbaru&lt;/b&gt; — nomornya yang dipakai orang untuk membalas (ack 12)</translation>
    </message>
    <message>
        <source>Alarm summary</source>
        <translation>Ringkasan alarm</translation>
    </message>
    <message>
        <source>Recent events</source>
        <translation>Kejadian terbaru</translation>
    </message>
    <message>
        <source>Loading the alarms…</source>
        <translation>Memuat alarm…</translation>
    </message>
    <message>
        <source>No alarm yet. Press &lt;b&gt;New…&lt;/b&gt;, choose the &lt;b&gt;demo&lt;/b&gt; connection and a tag such as DEMO.BOILER.TEMP to try one without a network.</source>
        <translation>Belum ada alarm. Tekan &lt;b&gt;Baru…&lt;/b&gt;, pilih koneksi &lt;b&gt;demo&lt;/b&gt; dan tag seperti DEMO.BOILER.TEMP untuk mencobanya tanpa jaringan.</translation>
    </message>
    <message>
        <source>Cannot read the data of: {names}.</source>
        <translation>Data tidak bisa dibaca untuk: {names}.</translation>
    </message>
    <message>
        <source>Switch on</source>
        <translation>Nyalakan</translation>
    </message>
    <message>
        <source>Alarm {name} saved.</source>
        <translation>Alarm {name} disimpan.</translation>
    </message>
    <message>
        <source>Alarm {name} switched off; its open event is closed.</source>
        <translation>Alarm {name} dimatikan; kejadiannya yang terbuka ditutup.</translation>
    </message>
    <message>
        <source>Alarm {name} switched on.</source>
        <translation>Alarm {name} dinyalakan.</translation>
    </message>
    <message>
        <source>Delete alarm</source>
        <translation>Hapus alarm</translation>
    </message>
    <message>
        <source>Delete the alarm {name} and its events?</source>
        <translation>Hapus alarm {name} beserta kejadiannya?</translation>
    </message>
    <message>
        <source>Alarm {name} deleted.</source>
        <translation>Alarm {name} dihapus.</translation>
    </message>
    <message>
        <source>Alarm {name} is no longer shelved; the next check tells people if it is still active.</source>
        <translation>Alarm {name} tidak lagi ditunda; pemeriksaan berikutnya memberi tahu orang jika alarm masih aktif.</translation>
    </message>
</context>
<context>
    <name>AppController</name>
    <message>
        <source>{app} is opening its database…</source>
        <translation>{app} sedang membuka basis datanya…</translation>
    </message>
    <message>
        <source>{app} is upgrading its database (a copy of it was saved first, beside it); this can take a minute for a large message log.</source>
        <translation>{app} sedang memperbarui basis datanya (salinannya sudah disimpan lebih dulu, di sebelahnya); untuk log pesan yang besar ini bisa memakan waktu semenit.</translation>
    </message>
    <message>
        <source>This database came from the previous WA-Integration system and was upgraded.</source>
        <translation>Database ini berasal dari sistem WA-Integration sebelumnya dan sudah diperbarui.</translation>
    </message>
    <message>
        <source>The database was upgraded; a backup is at {path}.</source>
        <translation>Database sudah diperbarui; cadangannya ada di {path}.</translation>
    </message>
    <message>
        <source>The app could not finish starting: {reason}</source>
        <translation>Aplikasi tidak bisa selesai dimulai: {reason}</translation>
    </message>
    <message>
        <source>The Simulator cannot run: {reason}</source>
        <translation>Simulator tidak bisa berjalan: {reason}</translation>
    </message>
    <message>
        <source>Logged in as {name}.</source>
        <translation>Masuk sebagai {name}.</translation>
    </message>
    <message>
        <source>{app} cannot start</source>
        <translation>{app} tidak bisa dimulai</translation>
    </message>
</context>
<context>
    <name>AuditSentence</name>
    <message>
        <source>created trigger %1</source>
        <translation>membuat pemicu %1</translation>
    </message>
    <message>
        <source>changed trigger %1</source>
        <translation>mengubah pemicu %1</translation>
    </message>
    <message>
        <source>deleted trigger %1</source>
        <translation>menghapus pemicu %1</translation>
    </message>
    <message>
        <source>switched on trigger %1</source>
        <translation>mengaktifkan pemicu %1</translation>
    </message>
    <message>
        <source>switched off trigger %1</source>
        <translation>menonaktifkan pemicu %1</translation>
    </message>
    <message>
        <source>created group %1</source>
        <translation>membuat grup %1</translation>
    </message>
    <message>
        <source>changed group %1</source>
        <translation>mengubah grup %1</translation>
    </message>
    <message>
        <source>deleted group %1</source>
        <translation>menghapus grup %1</translation>
    </message>
    <message>
        <source>created saved query %1</source>
        <translation>membuat kueri tersimpan %1</translation>
    </message>
    <message>
        <source>changed saved query %1</source>
        <translation>mengubah kueri tersimpan %1</translation>
    </message>
    <message>
        <source>deleted saved query %1</source>
        <translation>menghapus kueri tersimpan %1</translation>
    </message>
    <message>
        <source>created AI prefix %1</source>
        <translation>membuat prefiks AI %1</translation>
    </message>
    <message>
        <source>changed AI prefix %1</source>
        <translation>mengubah prefiks AI %1</translation>
    </message>
    <message>
        <source>deleted AI prefix %1</source>
        <translation>menghapus prefiks AI %1</translation>
    </message>
    <message>
        <source>switched on AI prefix %1</source>
        <translation>mengaktifkan prefiks AI %1</translation>
    </message>
    <message>
        <source>switched off AI prefix %1</source>
        <translation>menonaktifkan prefiks AI %1</translation>
    </message>
    <message>
        <source>created alarm %1</source>
        <translation>membuat alarm %1</translation>
    </message>
    <message>
        <source>changed alarm %1</source>
        <translation>mengubah alarm %1</translation>
    </message>
    <message>
        <source>deleted alarm %1</source>
        <translation>menghapus alarm %1</translation>
    </message>
    <message>
        <source>switched on alarm %1</source>
        <translation>menyalakan alarm %1</translation>
    </message>
    <message>
        <source>switched off alarm %1</source>
        <translation>mematikan alarm %1</translation>
    </message>
    <message>
        <source>acknowledged alarm %1</source>
        <translation>meng-ack alarm %1</translation>
    </message>
    <message>
        <source>shelved alarm %1</source>
        <translation>menunda alarm %1</translation>
    </message>
    <message>
        <source>unshelved alarm %1</source>
        <translation>mengakhiri penundaan alarm %1</translation>
    </message>
    <message>
        <source>created schedule %1</source>
        <translation>membuat jadwal %1</translation>
    </message>
    <message>
        <source>changed schedule %1</source>
        <translation>mengubah jadwal %1</translation>
    </message>
    <message>
        <source>deleted schedule %1</source>
        <translation>menghapus jadwal %1</translation>
    </message>
    <message>
        <source>switched on schedule %1</source>
        <translation>menyalakan jadwal %1</translation>
    </message>
    <message>
        <source>switched off schedule %1</source>
        <translation>mematikan jadwal %1</translation>
    </message>
    <message>
        <source>added connection %1</source>
        <translation>menambahkan koneksi %1</translation>
    </message>
    <message>
        <source>changed connection %1</source>
        <translation>mengubah koneksi %1</translation>
    </message>
    <message>
        <source>deleted connection %1</source>
        <translation>menghapus koneksi %1</translation>
    </message>
    <message>
        <source>tested connection %1</source>
        <translation>menguji koneksi %1</translation>
    </message>
    <message>
        <source>added contact %1</source>
        <translation>menambahkan kontak %1</translation>
    </message>
    <message>
        <source>approved contact %1</source>
        <translation>menyetujui kontak %1</translation>
    </message>
    <message>
        <source>blocked contact %1</source>
        <translation>memblokir kontak %1</translation>
    </message>
    <message>
        <source>unblocked contact %1</source>
        <translation>membuka blokir kontak %1</translation>
    </message>
    <message>
        <source>changed contact %1</source>
        <translation>mengubah kontak %1</translation>
    </message>
    <message>
        <source>deleted contact %1</source>
        <translation>menghapus kontak %1</translation>
    </message>
    <message>
        <source>merged two records of contact %1</source>
        <translation>menggabungkan dua catatan kontak %1</translation>
    </message>
    <message>
        <source>created user %1</source>
        <translation>membuat pengguna %1</translation>
    </message>
    <message>
        <source>changed user %1</source>
        <translation>mengubah pengguna %1</translation>
    </message>
    <message>
        <source>deleted user %1</source>
        <translation>menghapus pengguna %1</translation>
    </message>
    <message>
        <source>switched on user %1</source>
        <translation>mengaktifkan pengguna %1</translation>
    </message>
    <message>
        <source>switched off user %1</source>
        <translation>menonaktifkan pengguna %1</translation>
    </message>
    <message>
        <source>changed the password of %1</source>
        <translation>mengubah kata sandi %1</translation>
    </message>
    <message>
        <source>unlocked the account of %1</source>
        <translation>membuka kunci akun %1</translation>
    </message>
    <message>
        <source>sent a message to %1</source>
        <translation>mengirim pesan ke %1</translation>
    </message>
    <message>
        <source>sent a failed message to %1 again</source>
        <translation>mengirim ulang pesan yang gagal ke %1</translation>
    </message>
    <message>
        <source>cancelled a message to %1</source>
        <translation>membatalkan pesan ke %1</translation>
    </message>
    <message>
        <source>let the old system&apos;s waiting messages go</source>
        <translation>melepas pesan sistem lama yang menunggu</translation>
    </message>
    <message>
        <source>discarded the old system&apos;s waiting messages</source>
        <translation>membuang pesan sistem lama yang menunggu</translation>
    </message>
    <message>
        <source>changed settings: %1</source>
        <translation>mengubah pengaturan: %1</translation>
    </message>
    <message>
        <source>logged in</source>
        <translation>masuk</translation>
    </message>
    <message>
        <source>logged out</source>
        <translation>keluar</translation>
    </message>
    <message>
        <source>was logged out: the session ended</source>
        <translation>dikeluarkan: sesi berakhir</translation>
    </message>
    <message>
        <source>imported a configuration file</source>
        <translation>mengimpor file konfigurasi</translation>
    </message>
    <message>
        <source>Someone tried to log in as %1: %2</source>
        <translation>Seseorang mencoba masuk sebagai %1: %2</translation>
    </message>
    <message>
        <source>The account of %1 was locked after %2 failed log-ins</source>
        <translation>Akun %1 dikunci setelah %2 kali gagal masuk</translation>
    </message>
    <message>
        <source>wrong name or password</source>
        <translation>nama atau kata sandi salah</translation>
    </message>
    <message>
        <source>the account is locked</source>
        <translation>akun terkunci</translation>
    </message>
    <message>
        <source>the account is switched off</source>
        <translation>akun dinonaktifkan</translation>
    </message>
    <message>
        <source>The app</source>
        <translation>Aplikasi</translation>
    </message>
</context>
<context>
    <name>AuditTab</name>
    <message>
        <source>Account locked</source>
        <translation>Akun dikunci</translation>
    </message>
    <message>
        <source>Account unlocked</source>
        <translation>Kunci akun dibuka</translation>
    </message>
    <message>
        <source>AI prefix created</source>
        <translation>Prefiks AI dibuat</translation>
    </message>
    <message>
        <source>AI prefix deleted</source>
        <translation>Prefiks AI dihapus</translation>
    </message>
    <message>
        <source>AI prefix switched on or off</source>
        <translation>Prefiks AI diaktifkan atau dinonaktifkan</translation>
    </message>
    <message>
        <source>AI prefix changed</source>
        <translation>Prefiks AI diubah</translation>
    </message>
    <message>
        <source>Alarm created</source>
        <translation>Alarm dibuat</translation>
    </message>
    <message>
        <source>Alarm deleted</source>
        <translation>Alarm dihapus</translation>
    </message>
    <message>
        <source>Alarm switched on or off</source>
        <translation>Alarm dinyalakan atau dimatikan</translation>
    </message>
    <message>
        <source>Alarm unshelved</source>
        <translation>Penundaan alarm diakhiri</translation>
    </message>
    <message>
        <source>Alarm changed</source>
        <translation>Alarm diubah</translation>
    </message>
    <message>
        <source>Configuration imported</source>
        <translation>Konfigurasi diimpor</translation>
    </message>
    <message>
        <source>Connection added</source>
        <translation>Koneksi ditambahkan</translation>
    </message>
    <message>
        <source>Connection deleted</source>
        <translation>Koneksi dihapus</translation>
    </message>
    <message>
        <source>Connection tested</source>
        <translation>Koneksi diuji</translation>
    </message>
    <message>
        <source>Connection changed</source>
        <translation>Koneksi diubah</translation>
    </message>
    <message>
        <source>Contact approved</source>
        <translation>Kontak disetujui</translation>
    </message>
    <message>
        <source>Contact blocked</source>
        <translation>Kontak diblokir</translation>
    </message>
    <message>
        <source>Contact created</source>
        <translation>Kontak dibuat</translation>
    </message>
    <message>
        <source>Contact deleted</source>
        <translation>Kontak dihapus</translation>
    </message>
    <message>
        <source>Contact changed</source>
        <translation>Kontak diubah</translation>
    </message>
    <message>
        <source>Group created</source>
        <translation>Grup dibuat</translation>
    </message>
    <message>
        <source>Group deleted</source>
        <translation>Grup dihapus</translation>
    </message>
    <message>
        <source>Group changed</source>
        <translation>Grup diubah</translation>
    </message>
    <message>
        <source>Failed log-in</source>
        <translation>Gagal masuk</translation>
    </message>
    <message>
        <source>Logged in</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>Message cancelled</source>
        <translation>Pesan dibatalkan</translation>
    </message>
    <message>
        <source>Message retried</source>
        <translation>Pesan dicoba lagi</translation>
    </message>
    <message>
        <source>Message sent</source>
        <translation>Pesan dikirim</translation>
    </message>
    <message>
        <source>Password changed</source>
        <translation>Kata sandi diubah</translation>
    </message>
    <message>
        <source>Preset created</source>
        <translation>Preset dibuat</translation>
    </message>
    <message>
        <source>Preset deleted</source>
        <translation>Preset dihapus</translation>
    </message>
    <message>
        <source>Preset changed</source>
        <translation>Preset diubah</translation>
    </message>
    <message>
        <source>Schedule created</source>
        <translation>Jadwal dibuat</translation>
    </message>
    <message>
        <source>Schedule deleted</source>
        <translation>Jadwal dihapus</translation>
    </message>
    <message>
        <source>Schedule switched on or off</source>
        <translation>Jadwal dinyalakan atau dimatikan</translation>
    </message>
    <message>
        <source>Schedule changed</source>
        <translation>Jadwal diubah</translation>
    </message>
    <message>
        <source>Passwords or keys changed</source>
        <translation>Kata sandi atau kunci diubah</translation>
    </message>
    <message>
        <source>Session expired</source>
        <translation>Sesi berakhir</translation>
    </message>
    <message>
        <source>Settings changed</source>
        <translation>Pengaturan diubah</translation>
    </message>
    <message>
        <source>Suspicious activity</source>
        <translation>Aktivitas mencurigakan</translation>
    </message>
    <message>
        <source>Trigger created</source>
        <translation>Pemicu dibuat</translation>
    </message>
    <message>
        <source>Trigger deleted</source>
        <translation>Pemicu dihapus</translation>
    </message>
    <message>
        <source>Trigger switched on or off</source>
        <translation>Pemicu diaktifkan atau dinonaktifkan</translation>
    </message>
    <message>
        <source>Trigger changed</source>
        <translation>Pemicu diubah</translation>
    </message>
    <message>
        <source>User created</source>
        <translation>Pengguna dibuat</translation>
    </message>
    <message>
        <source>User deleted</source>
        <translation>Pengguna dihapus</translation>
    </message>
    <message>
        <source>User activated or deactivated</source>
        <translation>Pengguna diaktifkan atau dinonaktifkan</translation>
    </message>
    <message>
        <source>User changed</source>
        <translation>Pengguna diubah</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Dari</translation>
    </message>
    <message>
        <source>Audit entry</source>
        <translation>Entri audit</translation>
    </message>
    <message>
        <source>Search details…</source>
        <translation>Cari di rincian…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Tindakan</translation>
    </message>
    <message>
        <source>Everyone</source>
        <translation>Semua orang</translation>
    </message>
    <message>
        <source>(no user)</source>
        <translation>(tanpa pengguna)</translation>
    </message>
    <message>
        <source>All actions</source>
        <translation>Semua tindakan</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n entri</numerusform>
        </translation>
    </message>
    <message>
        <source> — could not load more: {reason}</source>
        <translation> — tidak bisa memuat lebih banyak: {reason}</translation>
    </message>
</context>
<context>
    <name>BotHost</name>
    <message>
        <source>Start the bot first: WhatsApp must be connected to hear about the logout. Or remove this computer on the bot phone under Linked devices.</source>
        <translation>Jalankan bot dulu: WhatsApp harus tersambung agar tahu tentang logout. Atau hapus komputer ini di ponsel bot pada Perangkat tertaut.</translation>
    </message>
    <message>
        <source>The bot did not start; the log file says why.</source>
        <translation>Bot tidak mulai; file log menjelaskan sebabnya.</translation>
    </message>
    <message>
        <source>The app is closing.</source>
        <translation>Aplikasi sedang ditutup.</translation>
    </message>
    <message>
        <source>No alarm could read its data: {reasons}</source>
        <translation>Tidak ada alarm yang bisa membaca datanya: {reasons}</translation>
    </message>
    <message>
        <source>The Simulator is not running; the log file says why.</source>
        <translation>Simulator tidak berjalan; file log menjelaskan sebabnya.</translation>
    </message>
</context>
<context>
    <name>Bubble</name>
    <message>
        <source>(an image that could not be read)</source>
        <translation>(gambar yang tidak bisa dibaca)</translation>
    </message>
</context>
<context>
    <name>ChartLabel</name>
    <message>
        <source>Double-click to see the chart large.</source>
        <translation>Klik dua kali untuk melihat grafik dalam ukuran besar.</translation>
    </message>
    <message>
        <source>Chart</source>
        <translation>Grafik</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Deskripsi</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Nilai</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>Satuan</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Waktu</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Kualitas</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>Prefiks</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>AI service</source>
        <translation>Layanan AI</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>Aktif</translation>
    </message>
    <message>
        <source>Used</source>
        <translation>Dipakai</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>Terakhir dipakai</translation>
    </message>
    <message>
        <source>On</source>
        <translation>Nyala</translation>
    </message>
    <message>
        <source>Watches</source>
        <translation>Memantau</translation>
    </message>
    <message>
        <source>Condition</source>
        <translation>Kondisi</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Tingkat</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Keadaan</translation>
    </message>
    <message>
        <source>In alarm</source>
        <translation>Lama alarm</translation>
    </message>
    <message>
        <source>Last value</source>
        <translation>Nilai terakhir</translation>
    </message>
    <message>
        <source>Told (delivered, read)</source>
        <translation>Diberi tahu (sampai, dibaca)</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Galat terakhir</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Raised</source>
        <translation>Terpicu</translation>
    </message>
    <message>
        <source>Acknowledged by</source>
        <translation>Di-ack oleh</translation>
    </message>
    <message>
        <source>Cleared</source>
        <translation>Normal kembali</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Yang terjadi</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Rincian</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Dari mana</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktif</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Last test</source>
        <translation>Uji terakhir</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Pesan</translation>
    </message>
    <message>
        <source>Keyword</source>
        <translation>Kata kunci</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Mode</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Anggota</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>Variabel</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Bawaan</translation>
    </message>
    <message>
        <source>Sends</source>
        <translation>Mengirim</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kapan</translation>
    </message>
    <message>
        <source>Next run</source>
        <translation>Jalan berikutnya</translation>
    </message>
    <message>
        <source>Last run</source>
        <translation>Jalan terakhir</translation>
    </message>
    <message>
        <source>Phone reported</source>
        <translation>Laporan ponsel</translation>
    </message>
    <message>
        <source>Direction</source>
        <translation>Arah</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Sebab</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Masuk antrean</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Kepada</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Percobaan</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>Percobaan berikutnya</translation>
    </message>
    <message>
        <source>Last attempt</source>
        <translation>Percobaan terakhir</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Galat</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Masalah</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Jatuh tempo</translation>
    </message>
    <message>
        <source>Ran</source>
        <translation>Dijalankan</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Rincian</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipe</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Koneksi</translation>
    </message>
    <message>
        <source>Setup</source>
        <translation>Penyiapan</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Nama lengkap</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Peran</translation>
    </message>
    <message>
        <source>Last login</source>
        <translation>Terakhir masuk</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Dibuat</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Ya</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Tidak</translation>
    </message>
    <message>
        <source>Phone / ID</source>
        <translation>Telepon / ID</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Last message</source>
        <translation>Pesan terakhir</translation>
    </message>
    <message>
        <source>From/To</source>
        <translation>Dari/Kepada</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Teks</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Siapa</translation>
    </message>
    <message>
        <source>What went wrong</source>
        <translation>Yang salah</translation>
    </message>
</context>
<context>
    <name>ComposePage</name>
    <message>
        <source>Pick a contact or type a number, e.g. +62 812 3456 7890</source>
        <translation>Pilih kontak atau ketik nomor, mis. +62 812 3456 7890</translation>
    </message>
    <message>
        <source>Message…</source>
        <translation>Pesan…</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Kirim</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Kepada</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Pesan</translation>
    </message>
    <message>
        <source>Your role can read messages, not send them.</source>
        <translation>Peran Anda boleh membaca pesan, tidak boleh mengirimnya.</translation>
    </message>
    <message>
        <source>Write only to people who wrote to the bot before: WhatsApp bans numbers that open chats with strangers.</source>
        <translation>Kirim hanya ke orang yang pernah menulis ke bot: WhatsApp memblokir nomor yang membuka obrolan dengan orang asing.</translation>
    </message>
    <message>
        <source>Queued for {to} (outbox #{id}); the Outbox shows when it is sent.</source>
        <translation>Masuk antrean untuk {to} (kotak keluar #{id}); Kotak keluar menunjukkan kapan terkirim.</translation>
    </message>
    <message>
        <source>Message to {to} queued.</source>
        <translation>Pesan ke {to} masuk antrean.</translation>
    </message>
</context>
<context>
    <name>ConnectionsTab</name>
    <message>
        <source>Not tested</source>
        <translation>Belum diuji</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Menguji…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Tersambung</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Gagal</translation>
    </message>
    <message>
        <source>built in</source>
        <translation>bawaan</translation>
    </message>
    <message>
        <source>New connection…</source>
        <translation>Koneksi baru…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Ubah…</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Uji</translation>
    </message>
    <message>
        <source>Browse tags…</source>
        <translation>Telusuri tag…</translation>
    </message>
    <message>
        <source>Query…</source>
        <translation>Kueri…</translation>
    </message>
    <message>
        <source>Switch to PI Web API…</source>
        <translation>Beralih ke PI Web API…</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Nonaktifkan</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>No connection yet. Press &lt;b&gt;New connection…&lt;/b&gt; to add your PI server or a database; the &lt;b&gt;Demo historian&lt;/b&gt; kind works with no network.</source>
        <translation>Belum ada koneksi. Tekan &lt;b&gt;Koneksi baru…&lt;/b&gt; untuk menambahkan server PI atau database Anda; jenis &lt;b&gt;Historian demo&lt;/b&gt; bekerja tanpa jaringan.</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Aktifkan</translation>
    </message>
    <message>
        <source>Trigger {name} saved; it answers now and is listed in Triggers.</source>
        <translation>Pemicu {name} disimpan; sekarang sudah menjawab dan tercantum di Pemicu.</translation>
    </message>
    <message>
        <source>Alarm {name} saved; it is listed in Alarms.</source>
        <translation>Alarm {name} disimpan; tercantum di Alarm.</translation>
    </message>
    <message>
        <source>Switch {name} to PI Web API</source>
        <translation>Alihkan {name} ke PI Web API</translation>
    </message>
    <message>
        <source>Connection {name} saved.</source>
        <translation>Koneksi {name} disimpan.</translation>
    </message>
    <message>
        <source>Testing {name}…</source>
        <translation>Menguji {name}…</translation>
    </message>
    <message>
        <source>Delete connection</source>
        <translation>Hapus koneksi</translation>
    </message>
    <message>
        <source>Delete the connection {name}? Triggers that use it stay, without a connection, until you choose another one.</source>
        <translation>Hapus koneksi {name}? Pemicu yang memakainya tetap ada, tanpa koneksi, sampai Anda memilih yang lain.</translation>
    </message>
    <message>
        <source>Connection {name} deleted.</source>
        <translation>Koneksi {name} dihapus.</translation>
    </message>
    <message numerus="yes">
        <source>%n trigger(s) now have no connection.</source>
        <translation>
            <numerusform>%n pemicu kini tidak punya koneksi.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Edit {name}</source>
        <translation>Ubah {name}</translation>
    </message>
    <message>
        <source>ops, shift-a, managers</source>
        <translation>ops, shift-a, manajer</translation>
    </message>
    <message>
        <source>Group ID</source>
        <translation>ID grup</translation>
    </message>
    <message>
        <source>Phone / ID</source>
        <translation>Telepon / ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Tags, separated by commas, decide what may be posted in this group, which everyone in it reads: a trigger limited to some tags answers here only when the group has one of them and the person asking does too; alarms and schedules of such a trigger reach the group only then.</source>
        <translation>Tag, dipisah koma, menentukan apa yang boleh dikirim di grup ini, yang dibaca semua anggotanya: pemicu yang dibatasi untuk tag tertentu hanya menjawab di sini bila grup punya salah satu tag itu dan penanyanya juga; alarm dan jadwal dari pemicu seperti itu hanya sampai ke grup dalam keadaan itu.</translation>
    </message>
    <message>
        <source>Tags, separated by commas, decide which triggers a contact may use: a trigger limited to some tags answers only contacts with one of them.</source>
        <translation>Tag, dipisah koma, menentukan pemicu mana yang boleh dipakai kontak: pemicu yang dibatasi untuk tag tertentu hanya menjawab kontak yang punya salah satu tag itu.</translation>
    </message>
    <message>
        <source>sari@plant.example</source>
        <translation>sari@plant.example</translation>
    </message>
    <message>
        <source>Where alarms sent by e-mail reach this person; leave it empty for none.</source>
        <translation>Alamat tempat alarm lewat e-mail sampai ke orang ini; kosongkan bila tidak ada.</translation>
    </message>
</context>
<context>
    <name>ContactsTab</name>
    <message>
        <source>Blocked</source>
        <translation>Diblokir</translation>
    </message>
    <message>
        <source>Allowed</source>
        <translation>Diizinkan</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>Menunggu persetujuan</translation>
    </message>
    <message>
        <source>Not allowed</source>
        <translation>Tidak diizinkan</translation>
    </message>
    <message>
        <source>group {id}</source>
        <translation>grup {id}</translation>
    </message>
    <message>
        <source>{name} (group)</source>
        <translation>{name} (grup)</translation>
    </message>
    <message>
        <source>(group, no name yet)</source>
        <translation>(grup, belum bernama)</translation>
    </message>
    <message>
        <source>Waiting for approval only</source>
        <translation>Hanya yang menunggu persetujuan</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Baru…</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Setujui</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Blokir</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Ubah…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) or group(s) wait for approval. Select one and press &lt;b&gt;Approve&lt;/b&gt; to let them use the bot; an approved group gets answers and alarms its tags allow.</source>
        <translation>
            <numerusform>%n kontak atau grup menunggu persetujuan. Pilih salah satu lalu tekan &lt;b&gt;Setujui&lt;/b&gt; agar boleh memakai bot; grup yang disetujui mendapat jawaban dan alarm sesuai tagnya.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nobody has written to the bot yet. People who do appear here, waiting for approval; press &lt;b&gt;New…&lt;/b&gt; to add someone ahead of time.</source>
        <translation>Belum ada yang menulis ke bot. Orang yang menulis muncul di sini, menunggu persetujuan; tekan &lt;b&gt;Baru…&lt;/b&gt; untuk menambahkan seseorang lebih dulu.</translation>
    </message>
    <message>
        <source>Unblock</source>
        <translation>Buka blokir</translation>
    </message>
    <message>
        <source>{name} added and approved.</source>
        <translation>{name} ditambahkan dan disetujui.</translation>
    </message>
    <message>
        <source>The group {name} is approved: the bot answers there.</source>
        <translation>Grup {name} disetujui: bot menjawab di sana.</translation>
    </message>
    <message>
        <source>{name} may now use the bot.</source>
        <translation>{name} sekarang boleh memakai bot.</translation>
    </message>
    <message>
        <source>The group {name} is blocked: nothing is posted there.</source>
        <translation>Grup {name} diblokir: tidak ada yang dikirim ke sana.</translation>
    </message>
    <message>
        <source>{name} is blocked: the bot ignores them.</source>
        <translation>{name} diblokir: bot mengabaikannya.</translation>
    </message>
    <message>
        <source>{name} is no longer blocked.</source>
        <translation>{name} tidak lagi diblokir.</translation>
    </message>
    <message>
        <source>Contact {name} saved.</source>
        <translation>Kontak {name} disimpan.</translation>
    </message>
    <message>
        <source>Delete contact</source>
        <translation>Hapus kontak</translation>
    </message>
    <message>
        <source>Delete the group {name}? If someone asks the bot there again, the group waits for approval again; its messages stay in the log.</source>
        <translation>Hapus grup {name}? Jika seseorang bertanya ke bot di sana lagi, grup menunggu persetujuan lagi; pesannya tetap ada di log.</translation>
    </message>
    <message>
        <source>Delete {name}? If they write again they wait for approval again; their messages stay in the log.</source>
        <translation>Hapus {name}? Jika ia menulis lagi, ia menunggu persetujuan lagi; pesannya tetap ada di log.</translation>
    </message>
    <message>
        <source>Contact {name} deleted.</source>
        <translation>Kontak {name} dihapus.</translation>
    </message>
</context>
<context>
    <name>Counts</name>
    <message numerus="yes">
        <source>%n time(s)</source>
        <translation>
            <numerusform>%n kali</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed login(s)</source>
        <translation>
            <numerusform>%n kali gagal masuk</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s)</source>
        <translation>
            <numerusform>%n kontak</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s)</source>
        <translation>
            <numerusform>%n tag</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n group(s)</source>
        <translation>
            <numerusform>%n grup</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n person(s)</source>
        <translation>
            <numerusform>%n orang</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <source>The details are in {path}.</source>
        <translation>Rinciannya ada di {path}.</translation>
    </message>
    <message>
        <source>WA-Integration — unexpected error</source>
        <translation>WA-Integration — galat tak terduga</translation>
    </message>
    <message>
        <source>Something went wrong inside the app. Your data is safe; the action you were doing may not have finished.</source>
        <translation>Terjadi kesalahan di dalam aplikasi. Data Anda aman; tindakan yang sedang Anda lakukan mungkin belum selesai.</translation>
    </message>
</context>
<context>
    <name>DashboardTab</name>
    <message>
        <source>Connected as {number}</source>
        <translation>Tersambung sebagai {number}</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Tersambung</translation>
    </message>
    <message>
        <source>The bot answers messages. Nothing to do.</source>
        <translation>Bot menjawab pesan. Tidak ada yang perlu dilakukan.</translation>
    </message>
    <message>
        <source>Connecting to WhatsApp…</source>
        <translation>Menyambung ke WhatsApp…</translation>
    </message>
    <message>
        <source>This takes a few seconds.</source>
        <translation>Ini memakan waktu beberapa detik.</translation>
    </message>
    <message>
        <source>Waiting to be paired</source>
        <translation>Menunggu dipasangkan</translation>
    </message>
    <message>
        <source>On the bot phone open WhatsApp → Settings → Linked devices → Link a device and scan the QR code below, or request a pairing code for the bot&apos;s number and type it on the phone.</source>
        <translation>Di ponsel bot buka WhatsApp → Setelan → Perangkat tertaut → Tautkan perangkat lalu pindai kode QR di bawah, atau minta kode pemasangan untuk nomor bot dan ketik di ponsel.</translation>
    </message>
    <message>
        <source>Reconnecting (attempt {tries})…</source>
        <translation>Menyambung ulang (percobaan {tries})…</translation>
    </message>
    <message>
        <source>Reconnecting…</source>
        <translation>Menyambung ulang…</translation>
    </message>
    <message>
        <source>The connection to WhatsApp dropped; the bot tries again by itself. Check the workstation&apos;s network if this lasts.</source>
        <translation>Sambungan ke WhatsApp terputus; bot mencoba lagi sendiri. Periksa jaringan workstation bila ini berlangsung lama.</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>WhatsApp removed this workstation from the bot phone&apos;s linked devices. Press Start and pair again with the QR code or a pairing code.</source>
        <translation>WhatsApp menghapus workstation ini dari perangkat tertaut di ponsel bot. Tekan Mulai lalu pasangkan lagi dengan kode QR atau kode pemasangan.</translation>
    </message>
    <message>
        <source>Temporarily banned until {time}</source>
        <translation>Diblokir sementara sampai {time}</translation>
    </message>
    <message>
        <source>Temporarily banned</source>
        <translation>Diblokir sementara</translation>
    </message>
    <message>
        <source>WhatsApp blocked the number for a while. Sending is paused and replies wait in the outbox; do not press Start again before the ban ends.</source>
        <translation>WhatsApp memblokir nomor ini untuk sementara. Pengiriman dijeda dan balasan menunggu di kotak keluar; jangan tekan Mulai lagi sebelum blokir berakhir.</translation>
    </message>
    <message>
        <source>This version is too old for WhatsApp</source>
        <translation>Versi ini terlalu lama untuk WhatsApp</translation>
    </message>
    <message>
        <source>WhatsApp refuses this client version. Install a newer WA-Integration; the pairing is kept.</source>
        <translation>WhatsApp menolak versi klien ini. Pasang WA-Integration yang lebih baru; pemasangan tetap tersimpan.</translation>
    </message>
    <message>
        <source>Could not connect</source>
        <translation>Tidak bisa tersambung</translation>
    </message>
    <message>
        <source>Press Start to try again; the log file has the details.</source>
        <translation>Tekan Mulai untuk mencoba lagi; file log berisi rinciannya.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Memulai…</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Berhenti</translation>
    </message>
    <message>
        <source>The bot is not connected to WhatsApp. Press Start to connect it; the first time, pair it with the bot phone.</source>
        <translation>Bot tidak tersambung ke WhatsApp. Tekan Mulai untuk menyambungkannya; pada kali pertama, pasangkan dengan ponsel bot.</translation>
    </message>
    <message>
        <source>In</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>Not sent: {reason}</source>
        <translation>Tidak terkirim: {reason}</translation>
    </message>
    <message>
        <source>no reason recorded</source>
        <translation>tidak ada sebab yang tercatat</translation>
    </message>
    <message>
        <source>see the Messages tab</source>
        <translation>lihat tab Pesan</translation>
    </message>
    <message>
        <source>{status}: “{text}” — {reason}</source>
        <translation>{status}: “{text}” — {reason}</translation>
    </message>
    <message>
        <source>No open alarm.</source>
        <translation>Tidak ada alarm terbuka.</translation>
    </message>
    <message>
        <source>, all acknowledged or shelved</source>
        <translation>, semua sudah di-ack atau ditunda</translation>
    </message>
    <message>
        <source>These alarms cannot read their data: {names} (the Alarms tab shows the error).</source>
        <translation>Alarm ini tidak bisa membaca datanya: {names} (tab Alarm menunjukkan galatnya).</translation>
    </message>
    <message>
        <source>schedule {name}</source>
        <translation>jadwal {name}</translation>
    </message>
    <message>
        <source>Nobody can be told: {names}. Their recipients are blocked, not approved or no longer in Contacts (the Alarms and Schedules tabs say who and why).</source>
        <translation>Tidak ada yang bisa diberi tahu: {names}. Penerimanya diblokir, belum disetujui, atau tidak ada lagi di Kontak (tab Alarm dan Jadwal menyebutkan siapa dan mengapa).</translation>
    </message>
    <message>
        <source>The WhatsApp session has been logged out since {since}</source>
        <translation>Sesi WhatsApp sudah keluar sejak {since}</translation>
    </message>
    <message>
        <source>The WhatsApp session has been banned since {since}</source>
        <translation>Sesi WhatsApp sudah diblokir sejak {since}</translation>
    </message>
    <message>
        <source>The WhatsApp session has been disconnected since {since}</source>
        <translation>Sesi WhatsApp sudah terputus sejak {since}</translation>
    </message>
    <message>
        <source>; the administrators are not told yet.</source>
        <translation>; administrator belum diberi tahu.</translation>
    </message>
    <message>
        <source>; no administrator has an e-mail address to be told at (Users tab).</source>
        <translation>; tidak ada administrator yang punya alamat e-mail untuk diberi tahu (tab Pengguna).</translation>
    </message>
    <message>
        <source>; the administrators were told by e-mail at {time}.</source>
        <translation>; administrator sudah diberi tahu lewat e-mail pukul {time}.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Mulai</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Hentikan</translation>
    </message>
    <message>
        <source>Log out…</source>
        <translation>Keluar dari WhatsApp…</translation>
    </message>
    <message>
        <source>Scan with WhatsApp on the bot phone: Settings → Linked devices → Link a device. WhatsApp renews the code every few seconds.</source>
        <translation>Pindai dengan WhatsApp di ponsel bot: Setelan → Perangkat tertaut → Tautkan perangkat. WhatsApp memperbarui kode ini setiap beberapa detik.</translation>
    </message>
    <message>
        <source>Bot phone number, e.g. +62 812 3456 7890</source>
        <translation>Nomor ponsel bot, mis. +62 812 3456 7890</translation>
    </message>
    <message>
        <source>Request pairing code</source>
        <translation>Minta kode pemasangan</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>The bot is not running in this window; the state below is the last one recorded.</source>
        <translation>Bot tidak berjalan di jendela ini; status di bawah adalah yang terakhir tercatat.</translation>
    </message>
    <message>
        <source>Your role can watch the bot, not start or stop it.</source>
        <translation>Peran Anda boleh memantau bot, tidak boleh memulai atau menghentikannya.</translation>
    </message>
    <message>
        <source>Or link with a phone number instead of the QR code:</source>
        <translation>Atau tautkan dengan nomor telepon, bukan kode QR:</translation>
    </message>
    <message>
        <source>Received today</source>
        <translation>Diterima hari ini</translation>
    </message>
    <message>
        <source>Sent today</source>
        <translation>Terkirim hari ini</translation>
    </message>
    <message>
        <source>Failed today</source>
        <translation>Gagal hari ini</translation>
    </message>
    <message>
        <source>Waiting in the outbox</source>
        <translation>Menunggu di kotak keluar</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>&lt;b&gt;Today&lt;/b&gt;</source>
        <translation>&lt;b&gt;Hari ini&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Last errors&lt;/b&gt;</source>
        <translation>&lt;b&gt;Galat terakhir&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent activity&lt;/b&gt;</source>
        <translation>&lt;b&gt;Aktivitas terbaru&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Bot number: {number}</source>
        <translation>Nomor bot: {number}</translation>
    </message>
    <message>
        <source>Bot number: not linked yet</source>
        <translation>Nomor bot: belum ditautkan</translation>
    </message>
    <message>
        <source>Starting the WhatsApp bot…</source>
        <translation>Memulai bot WhatsApp…</translation>
    </message>
    <message>
        <source>Stopping the WhatsApp bot: finishing the message being sent…</source>
        <translation>Menghentikan bot WhatsApp: menyelesaikan pesan yang sedang dikirim…</translation>
    </message>
    <message>
        <source>The WhatsApp bot is stopped.</source>
        <translation>Bot WhatsApp dihentikan.</translation>
    </message>
    <message>
        <source>Log out of WhatsApp</source>
        <translation>Keluar dari WhatsApp</translation>
    </message>
    <message>
        <source>Unlink this workstation from the bot phone? The bot stops answering until someone pairs it again with the phone (QR code or pairing code).</source>
        <translation>Lepaskan tautan workstation ini dari ponsel bot? Bot berhenti menjawab sampai seseorang memasangkannya lagi dengan ponsel (kode QR atau kode pemasangan).</translation>
    </message>
    <message>
        <source>Logged out of WhatsApp. Press Start to pair again.</source>
        <translation>Sudah keluar dari WhatsApp. Tekan Mulai untuk memasangkan lagi.</translation>
    </message>
    <message>
        <source>Type the bot phone&apos;s number with its country code, e.g. +62 812 3456 7890.</source>
        <translation>Ketik nomor ponsel bot dengan kode negaranya, mis. +62 812 3456 7890.</translation>
    </message>
    <message>
        <source>Asking WhatsApp for a code…</source>
        <translation>Meminta kode ke WhatsApp…</translation>
    </message>
    <message>
        <source>On the bot phone open WhatsApp → Settings → Linked devices → Link a device → Link with phone number instead, and type this code.</source>
        <translation>Di ponsel bot buka WhatsApp → Setelan → Perangkat tertaut → Tautkan perangkat → Tautkan dengan nomor telepon saja, lalu ketik kode ini.</translation>
    </message>
</context>
<context>
    <name>DashboardWords</name>
    <message numerus="yes">
        <source>%n message(s) wait in memory and will be recorded and answered when the database can be written again.</source>
        <translation>
            <numerusform>%n pesan menunggu di memori dan akan dicatat serta dijawab setelah database bisa ditulis lagi.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open alarm(s)</source>
        <translation>
            <numerusform>%n alarm terbuka</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n not acknowledged</source>
        <translation>
            <numerusform>, %n belum di-ack</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n told late (the bot was offline)</source>
        <translation>
            <numerusform>; %n diberitahukan terlambat (bot sedang offline)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alarm message(s) wait for WhatsApp; they are sent, marked late, when it reconnects.</source>
        <translation>
            <numerusform>%n pesan alarm menunggu WhatsApp; pesan dikirim, ditandai terlambat, saat tersambung lagi.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n alarm message(s) were not sent in the last 24 hours; the Messages tab&apos;s outbox says why.</source>
        <translation>
            <numerusform>%n pesan alarm tidak terkirim dalam 24 jam terakhir; kotak keluar di tab Pesan menjelaskan sebabnya.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FilterTable</name>
    <message>
        <source>Filter…</source>
        <translation>Saring…</translation>
    </message>
</context>
<context>
    <name>FormDialog</name>
    <message>
        <source>Unsaved changes</source>
        <translation>Perubahan belum disimpan</translation>
    </message>
    <message>
        <source>This form has changes that are not saved. Discard them?</source>
        <translation>Formulir ini punya perubahan yang belum disimpan. Buang perubahan itu?</translation>
    </message>
    <message>
        <source>Keep editing</source>
        <translation>Lanjut mengubah</translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <source>All at once (parallel)</source>
        <translation>Sekaligus (paralel)</translation>
    </message>
    <message>
        <source>One after another (sequential)</source>
        <translation>Satu per satu (berurutan)</translation>
    </message>
    <message>
        <source>Edit group</source>
        <translation>Ubah grup</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>Grup baru</translation>
    </message>
    <message>
        <source>The word people send, e.g. boiler</source>
        <translation>Kata yang dikirim orang, mis. boiler</translation>
    </message>
    <message>
        <source>Shown by help and used as the reply&apos;s title</source>
        <translation>Ditampilkan oleh bantuan dan dipakai sebagai judul balasan</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Tambah</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Buang</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Naikkan</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Turunkan</translation>
    </message>
    <message>
        <source>The reply lists the members in this order; drag them to change it.</source>
        <translation>Balasan mencantumkan anggota dalam urutan ini; seret untuk mengubahnya.</translation>
    </message>
    <message>
        <source>Keyword *</source>
        <translation>Kata kunci *</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Deskripsi</translation>
    </message>
    <message>
        <source>Run members</source>
        <translation>Jalankan anggota</translation>
    </message>
    <message>
        <source>Members *</source>
        <translation>Anggota *</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Pratinjau</translation>
    </message>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt; of the group as it is now (nothing is saved)</source>
        <translation>&lt;b&gt;Pratinjau&lt;/b&gt; grup seperti saat ini (tidak ada yang disimpan)</translation>
    </message>
    <message>
        <source>(deleted trigger {id})</source>
        <translation>(pemicu dihapus {id})</translation>
    </message>
    <message>
        <source>{name} (switched off)</source>
        <translation>{name} (dimatikan)</translation>
    </message>
    <message>
        <source>Add at least one trigger to the group to preview it.</source>
        <translation>Tambahkan minimal satu pemicu ke grup untuk melihat pratinjaunya.</translation>
    </message>
</context>
<context>
    <name>GroupsTab</name>
    <message>
        <source>New…</source>
        <translation>Baru…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Ubah…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>No group yet. A group answers one keyword with the replies of several triggers, e.g. &lt;b&gt;boiler&lt;/b&gt; for drum, steam and feed water.</source>
        <translation>Belum ada grup. Grup menjawab satu kata kunci dengan balasan beberapa pemicu, mis. &lt;b&gt;boiler&lt;/b&gt; untuk drum, uap, dan air umpan.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt; — select a group</source>
        <translation>&lt;b&gt;Pratinjau&lt;/b&gt; — pilih sebuah grup</translation>
    </message>
    <message>
        <source>Group {name} saved.</source>
        <translation>Grup {name} disimpan.</translation>
    </message>
    <message>
        <source>Delete group</source>
        <translation>Hapus grup</translation>
    </message>
    <message>
        <source>Delete the group {name}? Its triggers stay; only the group keyword stops answering.</source>
        <translation>Hapus grup {name}? Pemicunya tetap ada; hanya kata kunci grup yang berhenti menjawab.</translation>
    </message>
    <message>
        <source>Group {name} deleted.</source>
        <translation>Grup {name} dihapus.</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <source>Reply language</source>
        <translation>Bahasa balasan</translation>
    </message>
    <message>
        <source>Language of this window</source>
        <translation>Bahasa jendela ini</translation>
    </message>
    <message>
        <source>Time zone for times in replies (e.g. Asia/Jakarta; empty = this computer&apos;s)</source>
        <translation>Zona waktu untuk jam di balasan (mis. Asia/Jakarta; kosong = zona komputer ini)</translation>
    </message>
    <message>
        <source>WhatsApp: proxy (http://host:port or socks5://host:port; empty = this computer&apos;s proxy; direct = none; used from the next Start)</source>
        <translation>WhatsApp: proxy (http://host:port atau socks5://host:port; kosong = proxy komputer ini; direct = tanpa proxy; berlaku sejak Mulai berikutnya)</translation>
    </message>
    <message>
        <source>A question that waited longer than this while the bot was offline gets “send it again” instead of data (min)</source>
        <translation>Pertanyaan yang menunggu lebih lama dari ini saat bot offline dijawab “kirim ulang” alih-alih data (mnt)</translation>
    </message>
    <message>
        <source>Lock the window after this many idle minutes (0 = never)</source>
        <translation>Kunci jendela setelah sekian menit tidak dipakai (0 = tidak pernah)</translation>
    </message>
    <message>
        <source>AI: earlier questions and answers remembered per sender</source>
        <translation>AI: pertanyaan dan jawaban sebelumnya yang diingat per pengirim</translation>
    </message>
    <message>
        <source>AI: rounds of data look-ups per question</source>
        <translation>AI: putaran pencarian data per pertanyaan</translation>
    </message>
    <message>
        <source>Minimum gap between sends (s)</source>
        <translation>Jeda minimum antar pengiriman (dtk)</translation>
    </message>
    <message>
        <source>Random extra gap (s)</source>
        <translation>Jeda tambahan acak (dtk)</translation>
    </message>
    <message>
        <source>Messages per chat per minute</source>
        <translation>Pesan per obrolan per menit</translation>
    </message>
    <message>
        <source>Messages per minute overall</source>
        <translation>Pesan per menit secara keseluruhan</translation>
    </message>
    <message>
        <source>Commands allowed per window</source>
        <translation>Perintah yang diizinkan per jendela waktu</translation>
    </message>
    <message>
        <source>Spam window (s)</source>
        <translation>Jendela waktu spam (dtk)</translation>
    </message>
    <message>
        <source>Mute time after too many commands (min)</source>
        <translation>Lama dibisukan setelah terlalu banyak perintah (mnt)</translation>
    </message>
    <message>
        <source>Ignore the same text repeated within (s)</source>
        <translation>Abaikan teks sama yang diulang dalam (dtk)</translation>
    </message>
    <message>
        <source>Longest accepted message (characters)</source>
        <translation>Pesan terpanjang yang diterima (karakter)</translation>
    </message>
    <message>
        <source>Notice sent when a sender is muted (empty = the built-in sentence)</source>
        <translation>Pemberitahuan saat pengirim dibisukan (kosong = kalimat bawaan)</translation>
    </message>
    <message>
        <source>Alarms: a gap longer than this counts as the bot being offline (s)</source>
        <translation>Alarm: jeda lebih lama dari ini dianggap bot sedang offline (dtk)</translation>
    </message>
    <message>
        <source>Alarms: the e-mail connection alarm e-mails go through (empty = the only one there is)</source>
        <translation>Alarm: koneksi e-mail untuk mengirim e-mail alarm (kosong = satu-satunya yang ada)</translation>
    </message>
    <message>
        <source>Alarms: tell the administrators by e-mail when WhatsApp is disconnected longer than this (min; a logout is told at once)</source>
        <translation>Alarm: beri tahu administrator lewat e-mail bila WhatsApp terputus lebih lama dari ini (menit; logout langsung diberitahukan)</translation>
    </message>
    <message>
        <source>Schedules: holidays to skip (dates as YYYY-MM-DD, separated by commas)</source>
        <translation>Jadwal: hari libur yang dilewati (tanggal YYYY-MM-DD, dipisah koma)</translation>
    </message>
    <message>
        <source>Schedules: a run missed by more than this (computer off or asleep) is skipped (min)</source>
        <translation>Jadwal: jalannya jadwal yang terlewat lebih dari ini (komputer mati atau tidur) dilewati (mnt)</translation>
    </message>
    <message>
        <source>AVEVA PI (PI Web API or site gateway)</source>
        <translation>AVEVA PI (PI Web API atau gateway situs)</translation>
    </message>
    <message>
        <source>MySQL / MariaDB</source>
        <translation>MySQL / MariaDB</translation>
    </message>
    <message>
        <source>Oracle</source>
        <translation>Oracle</translation>
    </message>
    <message>
        <source>Demo historian (built in)</source>
        <translation>Historian demo (bawaan)</translation>
    </message>
    <message>
        <source>AI service</source>
        <translation>Layanan AI</translation>
    </message>
    <message>
        <source>E-mail (SMTP mail server)</source>
        <translation>E-mail (server surat SMTP)</translation>
    </message>
    <message>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <source>PI Web API</source>
        <translation>PI Web API</translation>
    </message>
    <message>
        <source>Old site gateway (/pi/trn)</source>
        <translation>Gateway situs lama (/pi/trn)</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Alamat</translation>
    </message>
    <message>
        <source>https://pi-server/piwebapi — or http://host:6066 for the old gateway</source>
        <translation>https://pi-server/piwebapi — atau http://host:6066 untuk gateway lama</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>Autentikasi</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>Anonim</translation>
    </message>
    <message>
        <source>Basic (user name and password)</source>
        <translation>Basic (nama pengguna dan kata sandi)</translation>
    </message>
    <message>
        <source>Kerberos / Windows</source>
        <translation>Kerberos / Windows</translation>
    </message>
    <message>
        <source>NTLM</source>
        <translation>NTLM</translation>
    </message>
    <message>
        <source>Bearer token</source>
        <translation>Token bearer</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>DOMAIN\user</source>
        <translation>DOMAIN\user</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Check the server certificate</source>
        <translation>Periksa sertifikat server</translation>
    </message>
    <message>
        <source>Leave on: the connection is refused when the server&apos;s certificate is not trusted. A plant CA&apos;s bundle file (.pem) may be given.</source>
        <translation>Biarkan menyala: koneksi ditolak bila sertifikat server tidak tepercaya. File bundle CA milik pabrik (.pem) boleh diberikan.</translation>
    </message>
    <message>
        <source>Default data server</source>
        <translation>Server data bawaan</translation>
    </message>
    <message>
        <source>for bare tag names, e.g. PISRV01</source>
        <translation>untuk nama tag tanpa server, mis. PISRV01</translation>
    </message>
    <message>
        <source>Default tag</source>
        <translation>Tag bawaan</translation>
    </message>
    <message>
        <source>used by old triggers that name no tag</source>
        <translation>dipakai pemicu lama yang tidak menyebut tag</translation>
    </message>
    <message>
        <source>Time zone of the server</source>
        <translation>Zona waktu server</translation>
    </message>
    <message>
        <source>e.g. Asia/Jakarta; empty = this computer&apos;s</source>
        <translation>mis. Asia/Jakarta; kosong = zona komputer ini</translation>
    </message>
    <message>
        <source>Time limit (s)</source>
        <translation>Batas waktu (dtk)</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Database</translation>
    </message>
    <message>
        <source>a user with read-only rights is the strongest protection</source>
        <translation>pengguna dengan hak baca saja adalah perlindungan terkuat</translation>
    </message>
    <message>
        <source>Connect time limit (s)</source>
        <translation>Batas waktu menyambung (dtk)</translation>
    </message>
    <message>
        <source>Query time limit (s)</source>
        <translation>Batas waktu kueri (dtk)</translation>
    </message>
    <message>
        <source>TLS: CA bundle file</source>
        <translation>TLS: file bundle CA</translation>
    </message>
    <message>
        <source>empty = no TLS</source>
        <translation>kosong = tanpa TLS</translation>
    </message>
    <message>
        <source>Service name</source>
        <translation>Nama layanan</translation>
    </message>
    <message>
        <source>Connect string (instead of host/service)</source>
        <translation>String koneksi (pengganti host/layanan)</translation>
    </message>
    <message>
        <source>e.g. dbhost:1521/ORCLPDB1 or a full (DESCRIPTION=…)</source>
        <translation>mis. dbhost:1521/ORCLPDB1 atau (DESCRIPTION=…) lengkap</translation>
    </message>
    <message>
        <source>Service type</source>
        <translation>Jenis layanan</translation>
    </message>
    <message>
        <source>OpenAI-compatible (/v1/chat/completions)</source>
        <translation>Kompatibel OpenAI (/v1/chat/completions)</translation>
    </message>
    <message>
        <source>Ollama (/api/chat)</source>
        <translation>Ollama (/api/chat)</translation>
    </message>
    <message>
        <source>Old system&apos;s relay</source>
        <translation>Relay sistem lama</translation>
    </message>
    <message>
        <source>e.g. http://localhost:11434/v1 for OpenAI-compatible</source>
        <translation>mis. http://localhost:11434/v1 untuk yang kompatibel OpenAI</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Kunci API</translation>
    </message>
    <message>
        <source>Answer length limit (tokens)</source>
        <translation>Batas panjang jawaban (token)</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatur</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Prompt sistem</translation>
    </message>
    <message>
        <source>Mail server</source>
        <translation>Server surat</translation>
    </message>
    <message>
        <source>e.g. smtp.plant.example.com</source>
        <translation>mis. smtp.plant.example.com</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Keamanan</translation>
    </message>
    <message>
        <source>STARTTLS (usually port 587)</source>
        <translation>STARTTLS (biasanya port 587)</translation>
    </message>
    <message>
        <source>TLS from the start (usually port 465)</source>
        <translation>TLS sejak awal (biasanya port 465)</translation>
    </message>
    <message>
        <source>None (plain text, usually port 25)</source>
        <translation>Tanpa enkripsi (teks biasa, biasanya port 25)</translation>
    </message>
    <message>
        <source>empty = the server takes mail without sign-in</source>
        <translation>kosong = server menerima surat tanpa masuk akun</translation>
    </message>
    <message>
        <source>From address</source>
        <translation>Alamat pengirim</translation>
    </message>
    <message>
        <source>e.g. wa-bot@plant.example.com</source>
        <translation>mis. wa-bot@plant.example.com</translation>
    </message>
    <message>
        <source>PI values</source>
        <translation>Nilai PI</translation>
    </message>
    <message>
        <source>SQL query</source>
        <translation>Kueri SQL</translation>
    </message>
    <message>
        <source>Saved query (preset)</source>
        <translation>Kueri tersimpan (preset)</translation>
    </message>
    <message>
        <source>Fixed text</source>
        <translation>Teks tetap</translation>
    </message>
    <message>
        <source>Administrator — everything</source>
        <translation>Administrator — semuanya</translation>
    </message>
    <message>
        <source>User — everything but users and settings</source>
        <translation>Pengguna — semuanya kecuali pengguna dan pengaturan</translation>
    </message>
    <message>
        <source>Viewer — read only</source>
        <translation>Pengamat — hanya baca</translation>
    </message>
</context>
<context>
    <name>ListTab</name>
    <message>
        <source>Filter AI prefixes…</source>
        <translation>Saring prefiks AI…</translation>
    </message>
    <message>
        <source>Your role can look at AI prefixes, not change them.</source>
        <translation>Peran Anda boleh melihat prefiks AI, tidak boleh mengubahnya.</translation>
    </message>
    <message>
        <source>Filter alarms…</source>
        <translation>Saring alarm…</translation>
    </message>
    <message>
        <source>Your role can look at alarms, not change them.</source>
        <translation>Peran Anda boleh melihat alarm, tidak boleh mengubahnya.</translation>
    </message>
    <message>
        <source>Filter connections…</source>
        <translation>Saring koneksi…</translation>
    </message>
    <message>
        <source>Your role can look at connections and test them, not change them.</source>
        <translation>Peran Anda boleh melihat dan menguji koneksi, tidak boleh mengubahnya.</translation>
    </message>
    <message>
        <source>Filter groups…</source>
        <translation>Saring grup…</translation>
    </message>
    <message>
        <source>Your role can look at groups and preview their replies, not change them.</source>
        <translation>Peran Anda boleh melihat grup dan pratinjau balasannya, tidak boleh mengubahnya.</translation>
    </message>
    <message>
        <source>Filter presets…</source>
        <translation>Saring preset…</translation>
    </message>
    <message>
        <source>Your role can look at presets, not change them.</source>
        <translation>Peran Anda boleh melihat preset, tidak boleh mengubahnya.</translation>
    </message>
    <message>
        <source>Filter schedules…</source>
        <translation>Saring jadwal…</translation>
    </message>
    <message>
        <source>Your role can look at schedules, not change them.</source>
        <translation>Peran Anda boleh melihat jadwal, tidak boleh mengubahnya.</translation>
    </message>
    <message>
        <source>Filter triggers…</source>
        <translation>Saring pemicu…</translation>
    </message>
    <message>
        <source>Your role can look at triggers and preview their replies, not change them.</source>
        <translation>Peran Anda boleh melihat pemicu dan pratinjau balasannya, tidak boleh mengubahnya.</translation>
    </message>
    <message>
        <source>Filter users…</source>
        <translation>Saring pengguna…</translation>
    </message>
    <message>
        <source>Only administrators can manage users. You can see the list, not change it.</source>
        <translation>Hanya administrator yang boleh mengelola pengguna. Anda boleh melihat daftarnya, tidak boleh mengubahnya.</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>Saring…</translation>
    </message>
    <message>
        <source>Filter by name, number or tag…</source>
        <translation>Saring menurut nama, nomor, atau tag…</translation>
    </message>
    <message>
        <source>Your role can look at contacts, not approve or change them.</source>
        <translation>Peran Anda boleh melihat kontak, tidak boleh menyetujui atau mengubahnya.</translation>
    </message>
    <message>
        <source>Loading the contacts…</source>
        <translation>Memuat kontak…</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <source>Unlock</source>
        <translation>Buka kunci</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>The window was locked after a time without use.</source>
        <translation>Jendela dikunci setelah beberapa waktu tidak dipakai.</translation>
    </message>
    <message>
        <source>The window was locked.</source>
        <translation>Jendela dikunci.</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Locked&lt;/h2&gt;&lt;p&gt;{why} Type the password of &lt;b&gt;{name}&lt;/b&gt; to go on.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;Terkunci&lt;/h2&gt;&lt;p&gt;{why} Ketik kata sandi &lt;b&gt;{name}&lt;/b&gt; untuk melanjutkan.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>Ketik kata sandi Anda.</translation>
    </message>
</context>
<context>
    <name>LogPage</name>
    <message>
        <source>In and out</source>
        <translation>Masuk dan keluar</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>Outgoing</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <source>Contact or number…</source>
        <translation>Kontak atau nomor…</translation>
    </message>
    <message>
        <source>Words in the text…</source>
        <translation>Kata dalam teks…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Count all</source>
        <translation>Hitung semua</translation>
    </message>
    <message>
        <source>Counts every message this filter keeps; in a large log that can take a few seconds.</source>
        <translation>Menghitung setiap pesan yang lolos saringan ini; di log yang besar bisa memakan beberapa detik.</translation>
    </message>
    <message>
        <source>Nothing is listed: a search needs a letter or a digit. Punctuation alone is not searched, as the search finds words and punctuation only separates them.</source>
        <translation>Tidak ada yang ditampilkan: pencarian memerlukan huruf atau angka. Tanda baca saja tidak dicari, karena pencarian menemukan kata dan tanda baca hanya memisahkannya.</translation>
    </message>
    <message>
        <source>Counting every message…</source>
        <translation>Menghitung semua pesan…</translation>
    </message>
    <message>
        <source> — could not load more: {reason}</source>
        <translation> — tidak bisa memuat lebih banyak: {reason}</translation>
    </message>
    <message>
        <source> — new messages arrived; press Refresh to see them</source>
        <translation> — ada pesan baru; tekan Muat ulang untuk melihatnya</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>create the administrator</source>
        <translation>buat administrator</translation>
    </message>
    <message>
        <source>log in</source>
        <translation>masuk</translation>
    </message>
    <message>
        <source>&lt;b&gt;Welcome.&lt;/b&gt; Create the administrator account of this workstation. You will use it to log in, and to add the other users.</source>
        <translation>&lt;b&gt;Selamat datang.&lt;/b&gt; Buat akun administrator untuk workstation ini. Akun ini dipakai untuk masuk, dan untuk menambahkan pengguna lain.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Log in&lt;/b&gt; to WA-Integration.</source>
        <translation>&lt;b&gt;Masuk&lt;/b&gt; ke WA-Integration.</translation>
    </message>
    <message>
        <source>Language of the windows</source>
        <translation>Bahasa jendela</translation>
    </message>
    <message>
        <source>Create and log in</source>
        <translation>Buat dan masuk</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>Creating the administrator account… this takes a few seconds.</source>
        <translation>Membuat akun administrator… ini memakan waktu beberapa detik.</translation>
    </message>
    <message>
        <source>Checking the password…</source>
        <translation>Memeriksa kata sandi…</translation>
    </message>
</context>
<context>
    <name>LoginForm</name>
    <message>
        <source>User name</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Nama lengkap</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Ulangi kata sandi</translation>
    </message>
    <message>
        <source>Type your user name.</source>
        <translation>Ketik nama pengguna Anda.</translation>
    </message>
    <message>
        <source>Type your password.</source>
        <translation>Ketik kata sandi Anda.</translation>
    </message>
    <message>
        <source>The password is empty. Type a password of at least 8 characters.</source>
        <translation>Kata sandi kosong. Ketik kata sandi minimal 8 karakter.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Kedua kata sandi berbeda.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Dashboard</source>
        <translation>Dasbor</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Koneksi</translation>
    </message>
    <message>
        <source>Triggers</source>
        <translation>Pemicu</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Grup</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>Preset</translation>
    </message>
    <message>
        <source>AI Prefixes</source>
        <translation>Prefiks AI</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>Jadwal</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Pesan</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontak</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Pengguna</translation>
    </message>
    <message>
        <source>Audit Log</source>
        <translation>Log Audit</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Pengaturan</translation>
    </message>
    <message>
        <source>Simulator</source>
        <translation>Simulator</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Berkas</translation>
    </message>
    <message>
        <source>Export configuration…</source>
        <translation>Ekspor konfigurasi…</translation>
    </message>
    <message>
        <source>Import configuration…</source>
        <translation>Impor konfigurasi…</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>Kunci</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Tutup aplikasi</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Bantuan</translation>
    </message>
    <message>
        <source>Move from the old system…</source>
        <translation>Pindah dari sistem lama…</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Tentang</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>Tentang {app}</translation>
    </message>
    <message>
        <source>{app} {version}
Database: {path}</source>
        <translation>{app} {version}
Database: {path}</translation>
    </message>
    <message>
        <source>Export configuration</source>
        <translation>Ekspor konfigurasi</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>File JSON (*.json)</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}.</source>
        <translation>Tidak bisa menulis {path}: {reason}.</translation>
    </message>
    <message>
        <source>Configuration exported to {path} (passwords left out).</source>
        <translation>Konfigurasi diekspor ke {path} (kata sandi tidak disertakan).</translation>
    </message>
    <message>
        <source>Import configuration</source>
        <translation>Impor konfigurasi</translation>
    </message>
    <message>
        <source>Import refused</source>
        <translation>Impor ditolak</translation>
    </message>
    <message>
        <source>Imported: {report}</source>
        <translation>Diimpor: {report}</translation>
    </message>
    <message>
        <source>Unsaved settings</source>
        <translation>Pengaturan belum disimpan</translation>
    </message>
    <message>
        <source>Settings has changes that are not saved.</source>
        <translation>Ada perubahan Pengaturan yang belum disimpan.</translation>
    </message>
    <message>
        <source>Back to Settings</source>
        <translation>Kembali ke Pengaturan</translation>
    </message>
</context>
<context>
    <name>MessagesTab</name>
    <message>
        <source>Received</source>
        <translation>Diterima</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Dijawab</translation>
    </message>
    <message>
        <source>Answered with an error</source>
        <translation>Dijawab dengan galat</translation>
    </message>
    <message>
        <source>Unknown command</source>
        <translation>Perintah tidak dikenal</translation>
    </message>
    <message>
        <source>Ignored</source>
        <translation>Diabaikan</translation>
    </message>
    <message>
        <source>Not authorised</source>
        <translation>Tidak diizinkan</translation>
    </message>
    <message>
        <source>Waiting for approval</source>
        <translation>Menunggu persetujuan</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Diblokir</translation>
    </message>
    <message>
        <source>Spam</source>
        <translation>Spam</translation>
    </message>
    <message>
        <source>Too long</source>
        <translation>Terlalu panjang</translation>
    </message>
    <message>
        <source>Repeated</source>
        <translation>Diulang</translation>
    </message>
    <message>
        <source>Muted</source>
        <translation>Dibisukan</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Menunggu dikirim</translation>
    </message>
    <message>
        <source>Sending…</source>
        <translation>Mengirim…</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Terkirim</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Gagal</translation>
    </message>
    <message>
        <source>built-in command</source>
        <translation>perintah bawaan</translation>
    </message>
    <message>
        <source>alarm command</source>
        <translation>perintah alarm</translation>
    </message>
    <message>
        <source>AI prefix</source>
        <translation>prefiks AI</translation>
    </message>
    <message>
        <source>group</source>
        <translation>grup</translation>
    </message>
    <message>
        <source>trigger</source>
        <translation>pemicu</translation>
    </message>
    <message>
        <source>no trigger matched</source>
        <translation>tidak ada pemicu yang cocok</translation>
    </message>
    <message>
        <source>group chat, not addressed to the bot</source>
        <translation>obrolan grup, tidak ditujukan ke bot</translation>
    </message>
    <message>
        <source>reply</source>
        <translation>balasan</translation>
    </message>
    <message>
        <source>notice</source>
        <translation>pemberitahuan</translation>
    </message>
    <message>
        <source>alarm</source>
        <translation>alarm</translation>
    </message>
    <message>
        <source>acknowledgement told to the others</source>
        <translation>ack diteruskan ke penerima lain</translation>
    </message>
    <message>
        <source>scheduled report</source>
        <translation>laporan terjadwal</translation>
    </message>
    <message>
        <source>the bot&apos;s health alarm</source>
        <translation>alarm kesehatan bot</translation>
    </message>
    <message>
        <source>typed in Compose</source>
        <translation>diketik di Tulis</translation>
    </message>
    <message>
        <source>typed by a user</source>
        <translation>diketik oleh pengguna</translation>
    </message>
    <message>
        <source>automatic warning</source>
        <translation>peringatan otomatis</translation>
    </message>
    <message>
        <source>{what} by e-mail</source>
        <translation>{what} lewat e-mail</translation>
    </message>
    <message>
        <source>{what} (Simulator)</source>
        <translation>{what} (Simulator)</translation>
    </message>
    <message>
        <source>not delivered yet</source>
        <translation>belum sampai</translation>
    </message>
    <message>
        <source>delivered {time}</source>
        <translation>sampai {time}</translation>
    </message>
    <message>
        <source>, read {time}</source>
        <translation>, dibaca {time}</translation>
    </message>
    <message>
        <source>In</source>
        <translation>Masuk</translation>
    </message>
    <message>
        <source>Out</source>
        <translation>Keluar</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Dibatalkan</translation>
    </message>
    <message>
        <source>Waiting to retry</source>
        <translation>Menunggu dicoba lagi</translation>
    </message>
    <message>
        <source>{what} (e-mail)</source>
        <translation>{what} (e-mail)</translation>
    </message>
    <message>
        <source>[image]</source>
        <translation>[gambar]</translation>
    </message>
    <message>
        <source>{count}+ messages</source>
        <translation>{count}+ pesan</translation>
    </message>
    <message>
        <source>{count} when counted {seconds} s ago</source>
        <translation>{count} saat dihitung {seconds} dtk lalu</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Log</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Kotak keluar</translation>
    </message>
    <message>
        <source>Compose</source>
        <translation>Tulis</translation>
    </message>
</context>
<context>
    <name>MessagesWords</name>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n pesan</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting to be sent</source>
        <translation>
            <numerusform>%n menunggu dikirim</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MigrationSummaryDialog</name>
    <message>
        <source>Move from the old system</source>
        <translation>Pindah dari sistem lama</translation>
    </message>
    <message>
        <source>Nothing from the old system needs your attention.</source>
        <translation>Tidak ada dari sistem lama yang perlu Anda tangani.</translation>
    </message>
    <message>
        <source>connections</source>
        <translation>koneksi</translation>
    </message>
    <message>
        <source>triggers</source>
        <translation>pemicu</translation>
    </message>
    <message>
        <source>groups</source>
        <translation>grup</translation>
    </message>
    <message>
        <source>saved queries</source>
        <translation>kueri tersimpan</translation>
    </message>
    <message>
        <source>AI prefixes</source>
        <translation>prefiks AI</translation>
    </message>
    <message>
        <source>contacts</source>
        <translation>kontak</translation>
    </message>
    <message>
        <source>users</source>
        <translation>pengguna</translation>
    </message>
    <message>
        <source>messages received</source>
        <translation>pesan diterima</translation>
    </message>
    <message>
        <source>messages sent or waiting</source>
        <translation>pesan terkirim atau menunggu</translation>
    </message>
    <message>
        <source>What came over</source>
        <translation>Yang ikut pindah</translation>
    </message>
    <message>
        <source>Every row of the old database was kept: %1.</source>
        <translation>Setiap baris database lama dipertahankan: %1.</translation>
    </message>
    <message>
        <source>Messages the old system had not sent yet</source>
        <translation>Pesan yang belum dikirim sistem lama</translation>
    </message>
    <message>
        <source>They are held: nothing goes out until you choose.</source>
        <translation>Pesan itu ditahan: tidak ada yang keluar sampai Anda memilih.</translation>
    </message>
    <message>
        <source>Send them now</source>
        <translation>Kirim sekarang</translation>
    </message>
    <message>
        <source>Discard them</source>
        <translation>Buang pesan itu</translation>
    </message>
    <message>
        <source>Needs you before it can answer</source>
        <translation>Perlu Anda sebelum bisa menjawab</translation>
    </message>
    <message>
        <source>old address</source>
        <translation>alamat lama</translation>
    </message>
    <message>
        <source>old query</source>
        <translation>kueri lama</translation>
    </message>
    <message>
        <source>no old query</source>
        <translation>tidak ada kueri lama</translation>
    </message>
    <message>
        <source>tag</source>
        <translation>tag</translation>
    </message>
    <message>
        <source>interval</source>
        <translation>interval</translation>
    </message>
    <message>
        <source>from</source>
        <translation>dari</translation>
    </message>
    <message>
        <source>to</source>
        <translation>s.d.</translation>
    </message>
    <message>
        <source>suggested connection: %1</source>
        <translation>koneksi yang disarankan: %1</translation>
    </message>
    <message>
        <source>Finish in the trigger editor…</source>
        <translation>Selesaikan di editor pemicu…</translation>
    </message>
    <message>
        <source>(Connections tab)</source>
        <translation>(tab Koneksi)</translation>
    </message>
    <message>
        <source>Connections not yet tested here</source>
        <translation>Koneksi yang belum diuji di sini</translation>
    </message>
    <message>
        <source>What the old system last said is kept for reference; press Test in Connections to check each from this computer.</source>
        <translation>Keterangan terakhir dari sistem lama disimpan sebagai acuan; tekan Uji di Koneksi untuk memeriksa masing-masing dari komputer ini.</translation>
    </message>
    <message>
        <source>Composite triggers became groups</source>
        <translation>Pemicu komposit menjadi grup</translation>
    </message>
    <message>
        <source>A composite answered with several triggers one after another; a group does that here. The old row is kept, switched off, for its history, and the group answers its keyword.</source>
        <translation>Pemicu komposit menjawab dengan beberapa pemicu berurutan; di sini grup yang melakukannya. Baris lama disimpan, dalam keadaan nonaktif, untuk riwayatnya, dan grup menjawab kata kuncinya.</translation>
    </message>
    <message>
        <source>Converted: worth a look</source>
        <translation>Dikonversi: perlu dicek</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>tersambung</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>gagal</translation>
    </message>
    <message>
        <source>still testing</source>
        <translation>masih diuji</translation>
    </message>
    <message>
        <source>the old system said “%1”</source>
        <translation>sistem lama mencatat “%1”</translation>
    </message>
    <message>
        <source>the old system said “%1” on %2</source>
        <translation>sistem lama mencatat “%1” pada %2</translation>
    </message>
    <message>
        <source>%1 old message(s) will be sent when WhatsApp is connected.</source>
        <translation>%1 pesan lama akan dikirim saat WhatsApp tersambung.</translation>
    </message>
    <message>
        <source>%1 old message(s) discarded; they stay listed in Messages.</source>
        <translation>%1 pesan lama dibuang; pesan itu tetap tercantum di Pesan.</translation>
    </message>
    <message>
        <source>Filled in from the old trigger&apos;s settings, with the connection %1: check them, then save.</source>
        <translation>Diisi dari pengaturan pemicu lama, dengan koneksi %1: periksa, lalu simpan.</translation>
    </message>
</context>
<context>
    <name>NewContactDialog</name>
    <message>
        <source>New contact</source>
        <translation>Kontak baru</translation>
    </message>
    <message>
        <source>+62 812 3456 7890 or 0812 3456 7890</source>
        <translation>+62 812 3456 7890 atau 0812 3456 7890</translation>
    </message>
    <message>
        <source>e.g. Budi Santoso</source>
        <translation>mis. Budi Santoso</translation>
    </message>
    <message>
        <source>ops, shift-a, managers</source>
        <translation>ops, shift-a, manajer</translation>
    </message>
    <message>
        <source>Phone *</source>
        <translation>Telepon *</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>The contact is approved at once: when they write from this number, the bot answers them with what their tags allow.</source>
        <translation>Kontak langsung disetujui: saat ia menulis dari nomor ini, bot menjawabnya sesuai yang diizinkan tagnya.</translation>
    </message>
</context>
<context>
    <name>OutboxPage</name>
    <message>
        <source>Any status</source>
        <translation>Semua status</translation>
    </message>
    <message>
        <source>Recipient contains…</source>
        <translation>Penerima memuat…</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>Cancel…</source>
        <translation>Batalkan…</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Muat ulang</translation>
    </message>
    <message>
        <source>Your role can look at the outbox, not retry or cancel messages.</source>
        <translation>Peran Anda boleh melihat kotak keluar, tidak boleh mencoba ulang atau membatalkan pesan.</translation>
    </message>
    <message>
        <source>The message to {to} is queued again.</source>
        <translation>Pesan ke {to} masuk antrean lagi.</translation>
    </message>
    <message>
        <source>Cancel message</source>
        <translation>Batalkan pesan</translation>
    </message>
    <message>
        <source>Take the message to {to} out of the queue? It stays listed as failed, cancelled by you, and is not sent.</source>
        <translation>Keluarkan pesan ke {to} dari antrean? Pesan tetap tercantum sebagai gagal, dibatalkan oleh Anda, dan tidak dikirim.</translation>
    </message>
    <message>
        <source>The message to {to} was cancelled.</source>
        <translation>Pesan ke {to} dibatalkan.</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>New password for {name}</source>
        <translation>Kata sandi baru untuk {name}</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Kata sandi baru</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Ulangi kata sandi</translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <source>Browse…</source>
        <translation>Telusuri…</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>Pilih file</translation>
    </message>
</context>
<context>
    <name>PresetDialog</name>
    <message>
        <source>Edit preset</source>
        <translation>Ubah preset</translation>
    </message>
    <message>
        <source>New preset</source>
        <translation>Preset baru</translation>
    </message>
    <message>
        <source>Default preset (offered first for new saved-query triggers)</source>
        <translation>Preset bawaan (ditawarkan lebih dulu untuk pemicu kueri tersimpan yang baru)</translation>
    </message>
    <message numerus="yes">
        <source>Used %n time(s) so far.</source>
        <translation>
            <numerusform>Sudah dipakai %n kali.</numerusform>
        </translation>
    </message>
    <message>
        <source>Name *</source>
        <translation>Nama *</translation>
    </message>
    <message>
        <source>Query template *</source>
        <translation>Templat kueri *</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>Variabel</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>Pemakaian</translation>
    </message>
</context>
<context>
    <name>PresetsTab</name>
    <message>
        <source>New…</source>
        <translation>Baru…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Ubah…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>No preset yet. A preset is a query written once; several saved-query triggers can use it with their own values.</source>
        <translation>Belum ada preset. Preset adalah kueri yang ditulis sekali; beberapa pemicu kueri tersimpan bisa memakainya dengan nilai masing-masing.</translation>
    </message>
    <message>
        <source>Preset {name} saved.</source>
        <translation>Preset {name} disimpan.</translation>
    </message>
    <message>
        <source>Delete preset</source>
        <translation>Hapus preset</translation>
    </message>
    <message>
        <source>Delete the preset {name}?</source>
        <translation>Hapus preset {name}?</translation>
    </message>
    <message>
        <source>Preset {name} deleted.</source>
        <translation>Preset {name} dihapus.</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt;</source>
        <translation>&lt;b&gt;Pratinjau&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Words after the keyword, e.g. B2 t-1d</source>
        <translation>Kata setelah kata kunci, mis. B2 t-1d</translation>
    </message>
    <message>
        <source>Run preview</source>
        <translation>Jalankan pratinjau</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Hentikan</translation>
    </message>
    <message>
        <source>Stop waiting for this preview (a slow server, say).</source>
        <translation>Berhenti menunggu pratinjau ini (misalnya server yang lambat).</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Argumen</translation>
    </message>
    <message>
        <source>Preview stopped: no answer was waited for.</source>
        <translation>Pratinjau dihentikan: jawaban tidak ditunggu.</translation>
    </message>
</context>
<context>
    <name>QAbstractSpinBox</name>
    <message>
        <source>&amp;Select All</source>
        <translation>&amp;Pilih semua</translation>
    </message>
    <message>
        <source>&amp;Step up</source>
        <translation>&amp;Naikkan</translation>
    </message>
    <message>
        <source>Step &amp;down</source>
        <translation>&amp;Turunkan</translation>
    </message>
</context>
<context>
    <name>QLineEdit</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Urungkan</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Ulangi</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Po&amp;tong</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Salin</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Tempel</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Pilih semua</translation>
    </message>
</context>
<context>
    <name>QMessageBox</name>
    <message>
        <source>Show Details...</source>
        <translation>Tampilkan rincian...</translation>
    </message>
    <message>
        <source>Hide Details...</source>
        <translation>Sembunyikan rincian...</translation>
    </message>
</context>
<context>
    <name>QPlatformTheme</name>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Batal</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Buang</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Terapkan</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>Atur ulang</translation>
    </message>
    <message>
        <source>Help</source>
        <translation>Bantuan</translation>
    </message>
    <message>
        <source>&amp;Yes</source>
        <translation>&amp;Ya</translation>
    </message>
    <message>
        <source>&amp;No</source>
        <translation>&amp;Tidak</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Buka</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Coba lagi</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Abaikan</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>Batalkan</translation>
    </message>
    <message>
        <source>Don&apos;t Save</source>
        <translation>Jangan simpan</translation>
    </message>
    <message>
        <source>Close without Saving</source>
        <translation>Tutup tanpa menyimpan</translation>
    </message>
</context>
<context>
    <name>QWidgetTextControl</name>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Urungkan</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Ulangi</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Po&amp;tong</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Salin</translation>
    </message>
    <message>
        <source>Copy &amp;Link Location</source>
        <translation>Salin lokasi &amp;tautan</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Tempel</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Select All</source>
        <translation>Pilih semua</translation>
    </message>
</context>
<context>
    <name>QueryDialog</name>
    <message>
        <source>Query {name}</source>
        <translation>Kueri {name}</translation>
    </message>
    <message>
        <source>Run preview</source>
        <translation>Jalankan pratinjau</translation>
    </message>
    <message>
        <source>Only single read-only SELECT statements run; values are sent as bound parameters.</source>
        <translation>Hanya satu pernyataan SELECT baca-saja yang dijalankan; nilai dikirim sebagai parameter terikat.</translation>
    </message>
    <message>
        <source>Rows at most</source>
        <translation>Baris paling banyak</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Berjalan…</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n baris</numerusform>
        </translation>
    </message>
    <message>
        <source>{rows} in {ms} ms; more rows exist (showing the first {limit}).</source>
        <translation>{rows} dalam {ms} md; masih ada baris lain (ditampilkan {limit} pertama).</translation>
    </message>
    <message>
        <source>{rows} in {ms} ms.</source>
        <translation>{rows} dalam {ms} md.</translation>
    </message>
</context>
<context>
    <name>QuietHours</name>
    <message>
        <source>from</source>
        <translation>dari</translation>
    </message>
    <message>
        <source>to</source>
        <translation>s.d.</translation>
    </message>
</context>
<context>
    <name>RecipientsEditor</name>
    <message>
        <source>{tag} ({count})</source>
        <translation>{tag} ({count})</translation>
    </message>
    <message>
        <source> — blocked in Contacts</source>
        <translation> — diblokir di Kontak</translation>
    </message>
    <message>
        <source> — not approved in Contacts yet</source>
        <translation> — belum disetujui di Kontak</translation>
    </message>
    <message>
        <source>Phone numbers of approved contacts, comma-separated</source>
        <translation>Nomor telepon kontak yang disetujui, dipisah koma</translation>
    </message>
    <message>
        <source>Contact tags, e.g. operators, shift leads</source>
        <translation>Tag kontak, mis. operator, kepala shift</translation>
    </message>
    <message>
        <source>WhatsApp group ids (…@g.us) the bot is in</source>
        <translation>ID grup WhatsApp (…@g.us) tempat bot berada</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>WhatsApp and e-mail</source>
        <translation>WhatsApp dan e-mail</translation>
    </message>
    <message>
        <source>E-mail goes to each person who has an e-mail address in Contacts (a group has none), through the e-mail connection chosen in Settings.</source>
        <translation>E-mail dikirim ke setiap orang yang punya alamat e-mail di Kontak (grup tidak punya), lewat koneksi e-mail yang dipilih di Pengaturan.</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontak</translation>
    </message>
    <message>
        <source>Choose contacts</source>
        <translation>Pilih kontak</translation>
    </message>
    <message>
        <source>No approved contact yet: approve people in Contacts first.</source>
        <translation>Belum ada kontak yang disetujui: setujui orang di Kontak dulu.</translation>
    </message>
    <message>
        <source>Tags</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Choose contact tags</source>
        <translation>Pilih tag kontak</translation>
    </message>
    <message>
        <source>No approved contact has a tag yet: give contacts tags in Contacts.</source>
        <translation>Belum ada kontak disetujui yang punya tag: beri kontak tag di Kontak.</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>Grup</translation>
    </message>
    <message>
        <source>Choose WhatsApp groups</source>
        <translation>Pilih grup WhatsApp</translation>
    </message>
    <message>
        <source>The bot knows no WhatsApp group yet: add it to a group and let someone write there once.</source>
        <translation>Bot belum mengenal grup WhatsApp: tambahkan bot ke grup dan biarkan seseorang menulis di sana sekali.</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Pilih…</translation>
    </message>
    <message>
        <source>Send by</source>
        <translation>Kirim lewat</translation>
    </message>
</context>
<context>
    <name>ReplyPreview</name>
    <message>
        <source>Run preview</source>
        <translation>Jalankan pratinjau</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;{button}&lt;/b&gt; to see the reply exactly as WhatsApp receives it.</source>
        <translation>Tekan &lt;b&gt;{button}&lt;/b&gt; untuk melihat balasan persis seperti yang diterima WhatsApp.</translation>
    </message>
    <message>
        <source>── message {number} of {count} (image with this caption) ──</source>
        <translation>── pesan {number} dari {count} (gambar dengan keterangan ini) ──</translation>
    </message>
    <message>
        <source>── message {number} of {count} (text) ──</source>
        <translation>── pesan {number} dari {count} (teks) ──</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n pesan</numerusform>
        </translation>
    </message>
    <message>
        <source>, with a chart</source>
        <translation>, dengan grafik</translation>
    </message>
    <message numerus="yes">
        <source>, %n of them with a chart</source>
        <translation>
            <numerusform>, %n di antaranya dengan grafik</numerusform>
        </translation>
    </message>
    <message>
        <source>The bot would answer in {seconds} s with {count}.</source>
        <translation>Bot akan menjawab dalam {seconds} dtk dengan {count}.</translation>
    </message>
    <message>
        <source> Why: {detail}</source>
        <translation> Sebabnya: {detail}</translation>
    </message>
    <message>
        <source>The bot would answer with an error ({count}); see the text below.</source>
        <translation>Bot akan menjawab dengan galat ({count}); lihat teks di bawah.</translation>
    </message>
    <message>
        <source>The chart image could not be read.</source>
        <translation>Gambar grafik tidak bisa dibaca.</translation>
    </message>
    <message>
        <source>The image WhatsApp receives ({width} × {height} pixels), shown smaller.</source>
        <translation>Gambar yang diterima WhatsApp ({width} × {height} piksel), ditampilkan lebih kecil.</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Berjalan…</translation>
    </message>
</context>
<context>
    <name>ScheduleDialog</name>
    <message>
        <source>A trigger&apos;s reply</source>
        <translation>Balasan sebuah pemicu</translation>
    </message>
    <message>
        <source>A group&apos;s combined reply</source>
        <translation>Gabungan balasan sebuah grup</translation>
    </message>
    <message>
        <source>This schedule never runs.</source>
        <translation>Jadwal ini tidak pernah berjalan.</translation>
    </message>
    <message>
        <source>Next runs: {times}</source>
        <translation>Jalan berikutnya: {times}</translation>
    </message>
    <message>
        <source>Edit schedule</source>
        <translation>Ubah jadwal</translation>
    </message>
    <message>
        <source>New schedule</source>
        <translation>Jadwal baru</translation>
    </message>
    <message>
        <source>e.g. Shift handover</source>
        <translation>mis. Serah terima shift</translation>
    </message>
    <message>
        <source>Switched on (sends at the times below)</source>
        <translation>Menyala (mengirim pada waktu di bawah)</translation>
    </message>
    <message>
        <source>Words after the keyword, as people would type them, e.g. B2 t-8h</source>
        <translation>Kata setelah kata kunci, seperti yang diketik orang, mis. B2 t-8h</translation>
    </message>
    <message>
        <source>For example: {examples}. Times are the workstation&apos;s wall clock.</source>
        <translation>Contoh: {examples}. Waktu mengikuti jam dinding workstation.</translation>
    </message>
    <message>
        <source>Skip holidays (the dates listed in Settings)</source>
        <translation>Lewati hari libur (tanggal yang tercantum di Pengaturan)</translation>
    </message>
    <message>
        <source>Quiet hours</source>
        <translation>Jam tenang</translation>
    </message>
    <message>
        <source>A daily window (it may run past midnight) in which this schedule sends nothing; a run due then is recorded as skipped.</source>
        <translation>Rentang harian (boleh melewati tengah malam) saat jadwal ini tidak mengirim apa pun; jalan yang jatuh tempo di dalamnya dicatat sebagai dilewati.</translation>
    </message>
    <message>
        <source>Who gets it *</source>
        <translation>Siapa yang menerima *</translation>
    </message>
    <message>
        <source>Name *</source>
        <translation>Nama *</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Deskripsi</translation>
    </message>
    <message>
        <source>Sends</source>
        <translation>Mengirim</translation>
    </message>
    <message>
        <source>Which *</source>
        <translation>Yang mana *</translation>
    </message>
    <message>
        <source>Arguments</source>
        <translation>Argumen</translation>
    </message>
    <message>
        <source>When *</source>
        <translation>Kapan *</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Pratinjau</translation>
    </message>
    <message>
        <source>Press &lt;b&gt;Preview&lt;/b&gt; to see what the recipients would get, exactly as WhatsApp shows it. Nothing is sent.</source>
        <translation>Tekan &lt;b&gt;Pratinjau&lt;/b&gt; untuk melihat apa yang akan diterima para penerima, persis seperti tampilan WhatsApp. Tidak ada yang dikirim.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt; of the form as it is now (nothing is saved or sent)</source>
        <translation>&lt;b&gt;Pratinjau&lt;/b&gt; formulir seperti saat ini (tidak ada yang disimpan atau dikirim)</translation>
    </message>
    <message>
        <source>No group yet — make one in Groups</source>
        <translation>Belum ada grup — buat di Grup</translation>
    </message>
    <message>
        <source>No trigger yet — make one in Triggers</source>
        <translation>Belum ada pemicu — buat di Pemicu</translation>
    </message>
    <message>
        <source>{name} (switched off)</source>
        <translation>{name} (dimatikan)</translation>
    </message>
    <message>
        <source>{name} (no longer exists) — choose another</source>
        <translation>{name} (sudah tidak ada) — pilih yang lain</translation>
    </message>
    <message>
        <source>Type when the schedule runs, for example “{example}”.</source>
        <translation>Ketik kapan jadwal berjalan, misalnya “{example}”.</translation>
    </message>
    <message>
        <source>Choose the trigger or group to send first.</source>
        <translation>Pilih dulu pemicu atau grup yang dikirim.</translation>
    </message>
    <message>
        <source>The group {name} no longer exists; choose another.</source>
        <translation>Grup {name} sudah tidak ada; pilih yang lain.</translation>
    </message>
    <message>
        <source>The trigger {name} no longer exists; choose another.</source>
        <translation>Pemicu {name} sudah tidak ada; pilih yang lain.</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Berjalan…</translation>
    </message>
    <message numerus="yes">
        <source>Each recipient would get %n message(s).</source>
        <translation>
            <numerusform>Setiap penerima akan mendapat %n pesan.</numerusform>
        </translation>
    </message>
    <message>
        <source>The recipients would get nothing.</source>
        <translation>Para penerima tidak akan mendapat apa pun.</translation>
    </message>
</context>
<context>
    <name>SchedulesTab</name>
    <message>
        <source>sent</source>
        <translation>terkirim</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>gagal</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>terlewat</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>dilewati</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>belum pernah</translation>
    </message>
    <message>
        <source>group {name}</source>
        <translation>grup {name}</translation>
    </message>
    <message>
        <source>trigger {name}</source>
        <translation>pemicu {name}</translation>
    </message>
    <message>
        <source>Nobody can be told</source>
        <translation>Tidak ada yang bisa diberi tahu</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Baru…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Ubah…</translation>
    </message>
    <message>
        <source>Switch off</source>
        <translation>Matikan</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Filter runs…</source>
        <translation>Saring jalannya…</translation>
    </message>
    <message>
        <source>No schedule yet. A schedule sends a trigger&apos;s or a group&apos;s reply to people at set times, e.g. the &lt;b&gt;demo&lt;/b&gt; trigger every shift at 06:00, 14:00 and 22:00.</source>
        <translation>Belum ada jadwal. Jadwal mengirim balasan sebuah pemicu atau grup kepada orang pada waktu tertentu, mis. pemicu &lt;b&gt;demo&lt;/b&gt; setiap shift pukul 06:00, 14:00, dan 22:00.</translation>
    </message>
    <message>
        <source>Needs attention: {names} (see the Problem column).</source>
        <translation>Perlu perhatian: {names} (lihat kolom Masalah).</translation>
    </message>
    <message>
        <source>&lt;b&gt;Runs&lt;/b&gt; — select a schedule</source>
        <translation>&lt;b&gt;Jalannya jadwal&lt;/b&gt; — pilih sebuah jadwal</translation>
    </message>
    <message>
        <source>&lt;b&gt;Runs of {name}&lt;/b&gt;</source>
        <translation>&lt;b&gt;Jalannya {name}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Runs of {name}&lt;/b&gt; — none yet</source>
        <translation>&lt;b&gt;Jalannya {name}&lt;/b&gt; — belum ada</translation>
    </message>
    <message>
        <source>Switch on</source>
        <translation>Nyalakan</translation>
    </message>
    <message>
        <source>Schedule {name} saved; it runs {plan}.</source>
        <translation>Jadwal {name} disimpan; berjalan {plan}.</translation>
    </message>
    <message>
        <source>Schedule {name} switched off.</source>
        <translation>Jadwal {name} dimatikan.</translation>
    </message>
    <message>
        <source>Schedule {name} switched on; it runs from now on.</source>
        <translation>Jadwal {name} dinyalakan; mulai berjalan dari sekarang.</translation>
    </message>
    <message>
        <source>Delete schedule</source>
        <translation>Hapus jadwal</translation>
    </message>
    <message>
        <source>Delete the schedule {name} and its runs?</source>
        <translation>Hapus jadwal {name} beserta riwayat jalannya?</translation>
    </message>
    <message>
        <source>Schedule {name} deleted.</source>
        <translation>Jadwal {name} dihapus.</translation>
    </message>
</context>
<context>
    <name>SettingsTab</name>
    <message>
        <source>General</source>
        <translation>Umum</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Keamanan</translation>
    </message>
    <message>
        <source>Sending (outbox)</source>
        <translation>Pengiriman (kotak keluar)</translation>
    </message>
    <message>
        <source>Spam protection</source>
        <translation>Perlindungan spam</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>AI answers</source>
        <translation>Jawaban AI</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>Alarm</translation>
    </message>
    <message>
        <source>Schedules</source>
        <translation>Jadwal</translation>
    </message>
    <message>
        <source>The language of the menus, tabs and forms of this app; it applies from the next log-in.</source>
        <translation>Bahasa menu, tab, dan formulir aplikasi ini; berlaku mulai masuk berikutnya.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Simpan</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>Kembalikan</translation>
    </message>
    <message>
        <source>Only administrators can change settings.</source>
        <translation>Hanya administrator yang boleh mengubah pengaturan.</translation>
    </message>
    <message>
        <source>No system keyring is available, so passwords, tokens and API keys are kept encrypted in {file}, and the key that opens them is the file {key}. Only your user account can read them; back up both with the database, as without the key file every password must be typed again.</source>
        <translation>Tidak ada keyring sistem, jadi kata sandi, token, dan kunci API disimpan terenkripsi di {file}, dan kunci pembukanya adalah file {key}. Hanya akun pengguna Anda yang bisa membacanya; cadangkan keduanya bersama database, karena tanpa file kunci setiap kata sandi harus diketik ulang.</translation>
    </message>
    <message numerus="yes">
        <source>%n unsaved change(s)</source>
        <translation>
            <numerusform>%n perubahan belum disimpan</numerusform>
        </translation>
    </message>
    <message>
        <source>No setting changed.</source>
        <translation>Tidak ada pengaturan yang berubah.</translation>
    </message>
    <message numerus="yes">
        <source>Settings saved (%n changed).</source>
        <translation>
            <numerusform>Pengaturan disimpan (%n berubah).</numerusform>
        </translation>
    </message>
    <message>
        <source>The windows speak {language} from the next log-in (log out and in again, or restart the app).</source>
        <translation>Jendela memakai {language} mulai masuk berikutnya (keluar lalu masuk lagi, atau mulai ulang aplikasi).</translation>
    </message>
</context>
<context>
    <name>SimulatorTab</name>
    <message>
        <source>Test contact</source>
        <translation>Kontak uji</translation>
    </message>
    <message>
        <source>The phone number the message comes from. A number the bot does not know yet gets the &apos;not authorised&apos; notice and waits for approval in Contacts, as on WhatsApp.</source>
        <translation>Nomor telepon pengirim pesan. Nomor yang belum dikenal bot menerima pemberitahuan &apos;tidak diizinkan&apos; dan menunggu persetujuan di Kontak, seperti di WhatsApp.</translation>
    </message>
    <message>
        <source>The WhatsApp name the contact shows.</source>
        <translation>Nama WhatsApp yang ditampilkan kontak.</translation>
    </message>
    <message>
        <source>As operator</source>
        <translation>Sebagai operator</translation>
    </message>
    <message>
        <source>Speak as the workstation&apos;s operator, who is always allowed: access and spam rules do not apply and nothing is logged as a message from a contact.</source>
        <translation>Berbicara sebagai operator workstation, yang selalu diizinkan: aturan akses dan spam tidak berlaku dan tidak ada yang dicatat sebagai pesan dari kontak.</translation>
    </message>
    <message>
        <source>In a group chat</source>
        <translation>Di obrolan grup</translation>
    </message>
    <message>
        <source>In a group the bot answers only a message that starts with a trigger name, ! or /, or an AI prefix.</source>
        <translation>Di grup, bot hanya menjawab pesan yang diawali nama pemicu, ! atau /, atau prefiks AI.</translation>
    </message>
    <message>
        <source>Type a message and press Enter, e.g. help, demo, demotrend</source>
        <translation>Ketik pesan lalu tekan Enter, mis. help, demo, demotrend</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Kirim</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Bersihkan</translation>
    </message>
    <message>
        <source>Check alarms now</source>
        <translation>Periksa alarm sekarang</translation>
    </message>
    <message>
        <source>Checks every alarm once now, as the app does by itself every few seconds. Alarm messages go to their recipients on WhatsApp (they wait while it is not connected); they also appear here, so you can answer them as the contact above.</source>
        <translation>Memeriksa setiap alarm sekali sekarang, seperti yang dilakukan aplikasi sendiri setiap beberapa detik. Pesan alarm dikirim ke penerimanya di WhatsApp (menunggu selama belum tersambung); pesan itu juga muncul di sini, sehingga Anda bisa membalasnya sebagai kontak di atas.</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Dari</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Talk to the bot as a contact would. Replies come through the bot&apos;s own outbox, without the pause WhatsApp needs, and the Messages tab logs them; nothing you send here reaches WhatsApp. Alarm messages shown here (yellow) do go to their recipients on WhatsApp.</source>
        <translation>Berbicaralah dengan bot seperti seorang kontak. Balasan lewat kotak keluar bot sendiri, tanpa jeda yang dibutuhkan WhatsApp, dan tab Pesan mencatatnya; apa pun yang Anda kirim di sini tidak sampai ke WhatsApp. Pesan alarm yang tampil di sini (kuning) memang dikirim ke penerimanya di WhatsApp.</translation>
    </message>
    <message>
        <source>The Simulator&apos;s bot is not running in this window.</source>
        <translation>Bot Simulator tidak berjalan di jendela ini.</translation>
    </message>
    <message>
        <source>Your role can read messages, not send them, so the Simulator is off.</source>
        <translation>Peran Anda boleh membaca pesan, tidak boleh mengirimnya, jadi Simulator tidak aktif.</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>operator</translation>
    </message>
    <message>
        <source>{who} in the group</source>
        <translation>{who} di grup</translation>
    </message>
    <message>
        <source>not delivered</source>
        <translation>tidak terkirim</translation>
    </message>
    <message>
        <source>Checking the alarms…</source>
        <translation>Memeriksa alarm…</translation>
    </message>
    <message numerus="yes">
        <source>%n alarm message(s) were queued for WhatsApp; they appear here.</source>
        <translation>
            <numerusform>%n pesan alarm masuk antrean WhatsApp; pesan itu tampil di sini.</numerusform>
        </translation>
    </message>
    <message>
        <source>No alarm messages.</source>
        <translation>Tidak ada pesan alarm.</translation>
    </message>
    <message>
        <source>Alarm check: {result}</source>
        <translation>Pemeriksaan alarm: {result}</translation>
    </message>
    <message>
        <source>The alarm check failed.</source>
        <translation>Pemeriksaan alarm gagal.</translation>
    </message>
    <message>
        <source>bot → {to} (e-mail) · {time}</source>
        <translation>bot → {to} (e-mail) · {time}</translation>
    </message>
    <message>
        <source>WhatsApp group {id}</source>
        <translation>Grup WhatsApp {id}</translation>
    </message>
    <message>
        <source>bot → {to} (WhatsApp) · {time}</source>
        <translation>bot → {to} (WhatsApp) · {time}</translation>
    </message>
    <message>
        <source>bot{to} · {time}</source>
        <translation>bot{to} · {time}</translation>
    </message>
</context>
<context>
    <name>SourceDialog</name>
    <message>
        <source>Edit connection</source>
        <translation>Ubah koneksi</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>Koneksi baru</translation>
    </message>
    <message>
        <source>Active (triggers may use it)</source>
        <translation>Aktif (pemicu boleh memakainya)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Jenis</translation>
    </message>
    <message>
        <source>&lt;b&gt;Finish setup.&lt;/b&gt;</source>
        <translation>&lt;b&gt;Selesaikan penyiapan.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Uji</translation>
    </message>
    <message>
        <source>Try these settings now; nothing is saved.</source>
        <translation>Coba pengaturan ini sekarang; tidak ada yang disimpan.</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Hentikan</translation>
    </message>
    <message>
        <source>The demo historian needs no settings: it simulates a handful of tags on this computer.</source>
        <translation>Historian demo tidak butuh pengaturan: ia menyimulasikan beberapa tag di komputer ini.</translation>
    </message>
    <message>
        <source>stored — leave empty to keep</source>
        <translation>tersimpan — kosongkan untuk mempertahankan</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>belum diisi</translation>
    </message>
    <message>
        <source>Testing… (Stop ends the wait)</source>
        <translation>Menguji… (Hentikan mengakhiri penantian)</translation>
    </message>
    <message>
        <source>Test stopped: no answer was waited for.</source>
        <translation>Uji dihentikan: jawaban tidak ditunggu.</translation>
    </message>
</context>
<context>
    <name>TagBrowserDialog</name>
    <message>
        <source>Bad</source>
        <translation>Buruk</translation>
    </message>
    <message>
        <source>Questionable</source>
        <translation>Diragukan</translation>
    </message>
    <message>
        <source>Substituted</source>
        <translation>Pengganti</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>Baik</translation>
    </message>
    <message>
        <source>Tags on {name}</source>
        <translation>Tag di {name}</translation>
    </message>
    <message>
        <source>Tag name pattern, e.g. BOILER1.*  or  *PRESS*</source>
        <translation>Pola nama tag, mis. BOILER1.*  atau  *PRESS*</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Cari</translation>
    </message>
    <message>
        <source>Type a pattern (* and ? are wildcards) and press Search.</source>
        <translation>Ketik pola (* dan ? adalah karakter pengganti) lalu tekan Cari.</translation>
    </message>
    <message>
        <source>Use selected tags</source>
        <translation>Pakai tag yang dipilih</translation>
    </message>
    <message>
        <source>New trigger with these tags…</source>
        <translation>Pemicu baru dengan tag ini…</translation>
    </message>
    <message>
        <source>New alarm on this tag…</source>
        <translation>Alarm baru pada tag ini…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Tutup</translation>
    </message>
    <message>
        <source>Searching {name} for {pattern}…</source>
        <translation>Mencari {pattern} di {name}…</translation>
    </message>
    <message numerus="yes">
        <source>%n tag(s) match {pattern}.</source>
        <translation>
            <numerusform>%n tag cocok dengan {pattern}.</numerusform>
        </translation>
    </message>
    <message>
        <source>No tag matches {pattern}.</source>
        <translation>Tidak ada tag yang cocok dengan {pattern}.</translation>
    </message>
</context>
<context>
    <name>TlsField</name>
    <message>
        <source>Check the server certificate</source>
        <translation>Periksa sertifikat server</translation>
    </message>
    <message>
        <source>CA bundle file (.pem), if the plant has its own CA</source>
        <translation>File bundle CA (.pem), bila pabrik punya CA sendiri</translation>
    </message>
</context>
<context>
    <name>TriggerDialog</name>
    <message>
        <source>Edit trigger</source>
        <translation>Ubah pemicu</translation>
    </message>
    <message>
        <source>New trigger</source>
        <translation>Pemicu baru</translation>
    </message>
    <message>
        <source>The word people send, e.g. drum</source>
        <translation>Kata yang dikirim orang, mis. drum</translation>
    </message>
    <message>
        <source>Shown by help and used as the reply&apos;s title</source>
        <translation>Ditampilkan oleh bantuan dan dipakai sebagai judul balasan</translation>
    </message>
    <message>
        <source>Old type {kind} — choose another</source>
        <translation>Tipe lama {kind} — pilih yang lain</translation>
    </message>
    <message>
        <source>Active (the bot answers this keyword)</source>
        <translation>Aktif (bot menjawab kata kunci ini)</translation>
    </message>
    <message>
        <source>Contact tags, comma-separated; empty = every allowed contact</source>
        <translation>Tag kontak, dipisah koma; kosong = semua kontak yang diizinkan</translation>
    </message>
    <message>
        <source>default (20 s)</source>
        <translation>bawaan (20 dtk)</translation>
    </message>
    <message>
        <source>Keyword *</source>
        <translation>Kata kunci *</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Deskripsi</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Tipe</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Koneksi</translation>
    </message>
    <message>
        <source>Audience</source>
        <translation>Audiens</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>Batas waktu</translation>
    </message>
    <message>
        <source>This trigger still has the old system&apos;s type. Choose PI values, SQL query, saved query or fixed text above and fill in the page that appears.</source>
        <translation>Pemicu ini masih memakai tipe dari sistem lama. Pilih Nilai PI, Kueri SQL, Kueri tersimpan, atau Teks tetap di atas lalu isi halaman yang muncul.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Finish setup.&lt;/b&gt;</source>
        <translation>&lt;b&gt;Selesaikan penyiapan.&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Pratinjau</translation>
    </message>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt; of the form as it is now (nothing is saved)</source>
        <translation>&lt;b&gt;Pratinjau&lt;/b&gt; formulir seperti saat ini (tidak ada yang disimpan)</translation>
    </message>
    <message>
        <source>None needed</source>
        <translation>Tidak diperlukan</translation>
    </message>
    <message>
        <source>No PI or demo connection yet — add one in Connections</source>
        <translation>Belum ada koneksi PI atau demo — tambahkan di Koneksi</translation>
    </message>
    <message>
        <source>No MySQL or Oracle connection yet — add one in Connections</source>
        <translation>Belum ada koneksi MySQL atau Oracle — tambahkan di Koneksi</translation>
    </message>
    <message>
        <source>No suitable connection yet — add one in Connections</source>
        <translation>Belum ada koneksi yang cocok — tambahkan di Koneksi</translation>
    </message>
    <message>
        <source>Choose a connection…</source>
        <translation>Pilih koneksi…</translation>
    </message>
    <message>
        <source> (switched off)</source>
        <translation> (dimatikan)</translation>
    </message>
    <message>
        <source>The preview cannot run yet:</source>
        <translation>Pratinjau belum bisa dijalankan:</translation>
    </message>
</context>
<context>
    <name>TriggerPages</name>
    <message>
        <source>Current values</source>
        <translation>Nilai saat ini</translation>
    </message>
    <message>
        <source>Summary over a period</source>
        <translation>Ringkasan selama suatu periode</translation>
    </message>
    <message>
        <source>Recorded values</source>
        <translation>Nilai terekam</translation>
    </message>
    <message>
        <source>Values at a fixed interval</source>
        <translation>Nilai pada interval tetap</translation>
    </message>
    <message>
        <source>Trend chart</source>
        <translation>Grafik tren</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>Rata-rata</translation>
    </message>
    <message>
        <source>Minimum</source>
        <translation>Minimum</translation>
    </message>
    <message>
        <source>Maximum</source>
        <translation>Maksimum</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Total</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>Rentang</translation>
    </message>
    <message>
        <source>StdDev</source>
        <translation>Simpangan baku</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Jumlah data</translation>
    </message>
    <message>
        <source>\\SERVER\TAG, a bare tag name or an AF path</source>
        <translation>\\SERVER\TAG, nama tag saja, atau jalur AF</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Tambah</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Buang</translation>
    </message>
    <message>
        <source>Search PI…</source>
        <translation>Cari di PI…</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>otomatis</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Name shown in the reply</source>
        <translation>Nama yang ditampilkan di balasan</translation>
    </message>
    <message>
        <source>Attach a trend chart</source>
        <translation>Lampirkan grafik tren</translation>
    </message>
    <message>
        <source>Tags *</source>
        <translation>Tag *</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Baca</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Dari</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Kepada</translation>
    </message>
    <message>
        <source>Interval</source>
        <translation>Interval</translation>
    </message>
    <message>
        <source>Summaries</source>
        <translation>Ringkasan</translation>
    </message>
    <message>
        <source>Decimals</source>
        <translation>Desimal</translation>
    </message>
    <message>
        <source>Display names</source>
        <translation>Nama tampilan</translation>
    </message>
    <message>
        <source>Query *</source>
        <translation>Kueri *</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>Variabel</translation>
    </message>
    <message>
        <source>Rows at most</source>
        <translation>Baris paling banyak</translation>
    </message>
    <message>
        <source>Only one read-only SELECT may run; the words after the keyword fill the variables in order and reach the database as bound values.</source>
        <translation>Hanya satu SELECT baca-saja yang boleh berjalan; kata setelah kata kunci mengisi variabel secara berurutan dan sampai ke database sebagai nilai terikat.</translation>
    </message>
    <message>
        <source>{name} (missing)</source>
        <translation>{name} (tidak ada)</translation>
    </message>
    <message>
        <source>Variable</source>
        <translation>Variabel</translation>
    </message>
    <message>
        <source>Fixed value (empty = taken from the message)</source>
        <translation>Nilai tetap (kosong = diambil dari pesan)</translation>
    </message>
    <message>
        <source>Preset *</source>
        <translation>Preset *</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>Kueri</translation>
    </message>
    <message>
        <source>Fixed values</source>
        <translation>Nilai tetap</translation>
    </message>
    <message>
        <source>No preset yet: make one in the Presets tab.</source>
        <translation>Belum ada preset: buat di tab Preset.</translation>
    </message>
    <message>
        <source>The reply, e.g. the shift roster or a phone list. *bold* and _italic_ work as in WhatsApp.</source>
        <translation>Balasan, mis. jadwal shift atau daftar telepon. *tebal* dan _miring_ berfungsi seperti di WhatsApp.</translation>
    </message>
    <message>
        <source>Reply *</source>
        <translation>Balasan *</translation>
    </message>
    <message>
        <source>Choose a PI or demo connection first; its tags are searched.</source>
        <translation>Pilih koneksi PI atau demo dulu; tag-tagnya yang dicari.</translation>
    </message>
</context>
<context>
    <name>TriggersTab</name>
    <message>
        <source>&lt;b&gt;Preview of {name}&lt;/b&gt;</source>
        <translation>&lt;b&gt;Pratinjau {name}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>None chosen</source>
        <translation>Belum dipilih</translation>
    </message>
    <message>
        <source>{name} (switched off)</source>
        <translation>{name} (dimatikan)</translation>
    </message>
    <message>
        <source>Now a group</source>
        <translation>Sekarang grup</translation>
    </message>
    <message>
        <source>Converted: check it</source>
        <translation>Dikonversi: periksa</translation>
    </message>
    <message>
        <source>The old system&apos;s composite trigger {name} ran several triggers one after another; the group {group} does that now and answers the keyword. This row is kept, switched off, for its history.</source>
        <translation>Pemicu komposit {name} dari sistem lama menjalankan beberapa pemicu berurutan; sekarang grup {group} yang melakukannya dan menjawab kata kuncinya. Baris ini disimpan, dalam keadaan nonaktif, untuk riwayatnya.</translation>
    </message>
    <message>
        <source>Old type {kind}</source>
        <translation>Tipe lama {kind}</translation>
    </message>
    <message>
        <source>Finish setup</source>
        <translation>Selesaikan penyiapan</translation>
    </message>
    <message>
        <source>New…</source>
        <translation>Baru…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Ubah…</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>Gandakan</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Nonaktifkan</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>No trigger yet. Press &lt;b&gt;New…&lt;/b&gt; and pick the &lt;b&gt;demo&lt;/b&gt; connection to try one without a network.</source>
        <translation>Belum ada pemicu. Tekan &lt;b&gt;Baru…&lt;/b&gt; dan pilih koneksi &lt;b&gt;demo&lt;/b&gt; untuk mencobanya tanpa jaringan.</translation>
    </message>
    <message>
        <source>Finish the setup of: {names}</source>
        <translation>Selesaikan penyiapan: {names}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Preview&lt;/b&gt; — select a trigger</source>
        <translation>&lt;b&gt;Pratinjau&lt;/b&gt; — pilih sebuah pemicu</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Aktifkan</translation>
    </message>
    <message>
        <source>Trigger {name} saved.</source>
        <translation>Pemicu {name} disimpan.</translation>
    </message>
    <message>
        <source>Trigger {name} created, switched off; edit it, then activate it.</source>
        <translation>Pemicu {name} dibuat dalam keadaan nonaktif; ubah dulu, lalu aktifkan.</translation>
    </message>
    <message>
        <source>Trigger {name} is now switched off.</source>
        <translation>Pemicu {name} sekarang nonaktif.</translation>
    </message>
    <message>
        <source>Trigger {name} is now active.</source>
        <translation>Pemicu {name} sekarang aktif.</translation>
    </message>
    <message>
        <source>Delete trigger</source>
        <translation>Hapus pemicu</translation>
    </message>
    <message>
        <source>Delete the trigger {name}? People sending {name} get no answer any more, and groups that contain it lose it.</source>
        <translation>Hapus pemicu {name}? Orang yang mengirim {name} tidak akan mendapat jawaban lagi, dan grup yang memuatnya kehilangan pemicu ini.</translation>
    </message>
    <message>
        <source>Trigger {name} deleted.</source>
        <translation>Pemicu {name} dihapus.</translation>
    </message>
</context>
<context>
    <name>UserDialog</name>
    <message>
        <source>Edit user</source>
        <translation>Ubah pengguna</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>Pengguna baru</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nama pengguna</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Nama lengkap</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Peran</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Kata sandi</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Ulangi kata sandi</translation>
    </message>
</context>
<context>
    <name>UsersTab</name>
    <message>
        <source>Deactivated</source>
        <translation>Dinonaktifkan</translation>
    </message>
    <message>
        <source>Locked until {time}</source>
        <translation>Terkunci sampai {time}</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Aktif</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>admin</translation>
    </message>
    <message>
        <source>user</source>
        <translation>pengguna</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>pengamat</translation>
    </message>
    <message>
        <source>New user…</source>
        <translation>Pengguna baru…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Ubah…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Atur ulang kata sandi…</translation>
    </message>
    <message>
        <source>Deactivate</source>
        <translation>Nonaktifkan</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Buka kunci</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Hapus</translation>
    </message>
    <message>
        <source>Activate</source>
        <translation>Aktifkan</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Kedua kata sandi berbeda.</translation>
    </message>
    <message>
        <source>User {name} created ({role}).</source>
        <translation>Pengguna {name} dibuat ({role}).</translation>
    </message>
    <message>
        <source>User {name} saved.</source>
        <translation>Pengguna {name} disimpan.</translation>
    </message>
    <message>
        <source>New password set for {name}.</source>
        <translation>Kata sandi baru untuk {name} sudah diatur.</translation>
    </message>
    <message>
        <source>User {name} activated.</source>
        <translation>Pengguna {name} diaktifkan.</translation>
    </message>
    <message>
        <source>User {name} deactivated.</source>
        <translation>Pengguna {name} dinonaktifkan.</translation>
    </message>
    <message>
        <source>User {name} unlocked.</source>
        <translation>Kunci pengguna {name} dibuka.</translation>
    </message>
    <message>
        <source>Delete user</source>
        <translation>Hapus pengguna</translation>
    </message>
    <message>
        <source>Delete the account {name}?</source>
        <translation>Hapus akun {name}?</translation>
    </message>
    <message>
        <source>User {name} deleted.</source>
        <translation>Pengguna {name} dihapus.</translation>
    </message>
</context>
<context>
    <name>VariablesTable</name>
    <message>
        <source>Name</source>
        <translation>Nama</translation>
    </message>
    <message>
        <source>Pattern (regular expression)</source>
        <translation>Pola (ekspresi reguler)</translation>
    </message>
    <message>
        <source>Default</source>
        <translation>Bawaan</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Deskripsi</translation>
    </message>
    <message>
        <source>Add row</source>
        <translation>Tambah baris</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>Hapus baris</translation>
    </message>
    <message>
        <source>Detect from query</source>
        <translation>Deteksi dari kueri</translation>
    </message>
    <message>
        <source>Added {names}.</source>
        <translation>Ditambahkan {names}.</translation>
    </message>
    <message>
        <source>Every :name of the query already has a row.</source>
        <translation>Setiap :nama di kueri sudah punya baris.</translation>
    </message>
    <message>
        <source>The query has no :name variables.</source>
        <translation>Kueri tidak punya variabel :nama.</translation>
    </message>
    <message>
        <source>Not in the query: {names}.</source>
        <translation>Tidak ada di kueri: {names}.</translation>
    </message>
</context>
<context>
    <name>messages_tab</name>
    <message>
        <source>From</source>
        <translation>Dari</translation>
    </message>
    <message>
        <source>to</source>
        <translation>s.d.</translation>
    </message>
</context>
</TS>
