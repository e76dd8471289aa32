"""Every fixed sentence the bot sends, in Bahasa Indonesia ("id") and English ("en")."""

from __future__ import annotations

import string

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "en"

# One table per language with exactly the same keys and the same {placeholders}; a test holds
# both tables to that. WhatsApp formatting (*bold*, _italic_) is part of a sentence where needed.
_EN: dict[str, str] = {
    # help, bantuan, menu, halo
    "help_title": "WA-Integration — what you can ask",
    "help_intro": "Send one of these words (arguments after a space):",
    "help_triggers_heading": "Single answers",
    "help_groups_heading": "Groups (several answers in one reply)",
    "help_ai_heading": "Ask the AI: start your message with",
    "help_alarms": "*Alarms*: *alarms* lists the active ones; reply *ack 12* to acknowledge, "
                   "*shelve 12 2h reason* to silence one for a while",
    "help_empty": "No commands are available to you yet.",
    "help_search_title": "Commands matching “{word}”",
    "help_more": "…and {count} more. Send *help* and a word to search them, e.g. *help drum*.",
    "help_more_search": "…and {count} more; add a word to narrow the search.",
    "help_search_none": "Nothing matches “{word}”. Send *help* for the list.",
    "greeting": "Hello! I answer with live plant data.",
    "greeting_named": "Hello {name}! I answer with live plant data.",
    "unknown_hint": "Unknown command. Send *help* for the list.",
    "offline_note": "_You asked at {time}, while the bot was offline; the values below are "
                    "current._",
    "offline_too_old": "I was offline when you asked at {time}; send it again for current "
                       "values.",
    "usage": "Usage: {usage}",
    # groups and long replies
    "group_summary": "{ok} of {total} answered",
    "and_more": "…and {count} more",
    "and_more_unknown": "…and more",
    "part": "({n}/{total})",
    "summary_range": "From {start} to {end}",
    "chart_caption": "{title}: trend from {start} to {end}",
    "empty_message": "Nothing to show.",
    "no_rows": "No rows.",
    "no_values": "No values.",
    "no_value": "no value",
    # variables
    "variable_missing": "{name} is missing: {expected}.",
    "variable_invalid": "{value!r} is not a valid {name}: {expected}.",
    "expected_any": "any value",
    "expected_pattern": "a value matching {pattern}",
    "expected_one_of": "{choices} or {last}",
    "variable_expected_default": "for example {example}",
    "too_many_args_none": "{name} takes no arguments.",
    "too_many_args_one": "{name} takes at most one argument.",
    "too_many_args": "{name} takes at most {count} arguments.",
    "this_command": "This command",
    # why a trigger could not answer
    "source_missing": "{name} has no connection to read from.",
    "source_inactive": "The connection {source} is switched off.",
    "source_not_ready": "{source} is not set up yet.",
    "member_missing": "{name} no longer exists.",
    "timeout": "{what} did not answer within {seconds} s.",
    "failed": "{what} failed: {reason}",
    "trigger_inactive": "{name} is switched off.",
    "not_allowed": "You may not use {name}.",
    "not_allowed_in_group": "{name} is limited to groups tagged {tags}; this group has none "
                            "of these tags, so it cannot be posted here.",
    "group_not_approved": "This group is not approved for the plant bot yet. An administrator "
                          "must approve it in the Contacts tab before the bot answers here.",
    # what the bot's users hear when a connection fails (app.core.sources.Fault); never a
    # host, port, path, SQL or driver text: the operator reads the full reason in Messages
    "fault_unreachable": "Cannot reach {source} (server down or network blocked).",
    "fault_timeout": "{source} did not answer in time.",
    "fault_sign_in": "{source} refused the sign-in; an engineer must check the "
                     "connection's account.",
    "fault_refused": "{source} refused the query.",
    "fault_setup": "The connection {source} is not set up correctly.",
    "fault_off": "The connection {source} is switched off.",
    "fault_no_data": "{source} has no such data.",
    "fault_busy": "{source} is busy; try again in a few minutes.",
    "fault_no_credit": "The AI account of {source} has no credit left.",
    "fault_failed": "{source} could not answer.",
    "preset_missing": "{name} uses a query template that no longer exists.",
    "unexpected": "No answer because of a fault in the bot; an engineer can see the "
                  "details.",
    "ai_empty": "Write your question after {prefix}, e.g. {prefix} why is the drum pressure "
                "rising?",
    "ai_reset": "Done: I forgot our earlier conversation.",
    "ai_sources": "Sources: {sources}",
    "ai_now": "now",
    "ai_no_answer": "The AI service gave no answer. Try asking in other words.",
    "ai_too_many_rounds": "The AI service kept looking up data without answering; ask a "
                          "narrower question.",
    "ai_system": "You are the assistant of a power or process plant, answering engineers on "
                 "WhatsApp. Answer briefly in {language}. Use the tools to read plant data; "
                 "never invent a value; say when a value is bad or old. Plain text with "
                 "WhatsApp *bold* only.",
    "not_authorised": "Sorry, this number is not authorised to use the plant bot yet. An "
                      "engineer has been asked to approve you.",
    "spam_muted": "You sent many commands in a short time. The bot will answer you again in "
                  "{minutes} minutes.",
    "spam_too_long": "That message is too long for the bot (at most {limit} characters).",
    "ai_not_available": "AI answers are not set up on this bot yet.",
    # marks on values
    "stale": "stale",
    "questionable": "questionable",
    "substituted": "substituted",
    "bad_state": "bad value",
    # PI summary types as people say them
    "summary_average": "Average",
    "summary_minimum": "Minimum",
    "summary_maximum": "Maximum",
    "summary_total": "Total",
    "summary_range_value": "Range",
    "summary_stddev": "Standard deviation",
    "summary_count": "Count",
    "summary_delta": "Change",
    "summary_percentgood": "Good values (%)",
    # alarms (the bot speaks first)
    "alarm_raised": "{icon} #{number} {name} {why} since {time} — reply *ack {number}*",
    "alarm_late": "(sent late: the bot was offline)",
    "alarm_escalated": "⏫ not acknowledged for {minutes} min",
    "alarm_cleared": "✅ #{number} {name} cleared{value}",
    "alarm_many": "🔔 *{count} alarm messages*",
    "alarm_acked": "👍 #{number} {name} acknowledged by {who}",
    "alarm_shelved": "🔕 #{number} {name} shelved by {who} until {time}{reason}",
    "alarm_unknown": "There is no alarm #{number}. Send *alarms* for the active ones.",
    "alarm_not_yours": "Alarm #{number} is not sent to you, so you cannot acknowledge or shelve "
                       "it.",
    "alarm_already_acked": "#{number} was already acknowledged by {who} at {time}.",
    "alarm_not_active": "#{number} {name} is no longer active (cleared at {time}).",
    "alarm_which": "Which alarm? Write *ack* and its number, such as *ack 12*.",
    "alarm_which_of": "That message names several alarms ({numbers}); write *ack* and one "
                      "number, such as *ack {first}*.",
    "alarm_shelve_usage": "Write *shelve 12 2h reason*: the alarm's number, for how long (30m, "
                          "2h, 1d) and why.",
    "alarm_shelve_too_long": "An alarm can be shelved for at most {hours} hours.",
    "alarms_title": "Active alarms",
    "alarms_none": "No alarms are active.",
    "alarm_by": " · ack {who}",
    "alarm_shelved_until": " · shelved until {time}",
    "alarm_no_value": "no value at all",
    "alarm_stale": "no new value for {minutes} min",
    "alarm_state": "state {state}",
    "alarm_bad": "bad value",
    "offline_title": "*While the bot was offline* ({start}–{end})",
    "offline_now": "now {value}",
    "offline_now_stale": "now {value} ⚠ data {minutes} min old",
    "offline_more": "…and {count} more; send *alarms* for what is active now",
    "schedule_caption": "{name} · scheduled {time}",
    # the alarm summary: an acknowledgement from the desk with its comment
    "alarm_acked_because": "👍 #{number} {name} acknowledged by {who}: {reason}",
    # alarms by e-mail, escalation on delivery, the bot's own health alarm
    "email_alarm_subject": "Alarm #{number}: {name}",
    "email_cleared_subject": "Cleared: alarm #{number} {name}",
    "email_many_subject": "{count} alarm messages",
    "email_ack_hint": "To acknowledge it, reply to the WhatsApp bot: ack {number}",
    "email_stand_in": "Sent by e-mail: WhatsApp did not deliver it within {minutes} min.",
    "alarm_not_delivered": "⏫ not delivered within {minutes} min",
    "health_down_subject": "WhatsApp bot: the session is {state}",
    "health_down_body": "The WhatsApp session of the bot has been {state} since {time}. "
                        "Alarms and replies wait until it is back; open the app's Dashboard "
                        "to link it again.",
    "health_up_subject": "WhatsApp bot: the session is back",
    "health_up_body": "The WhatsApp session of the bot is connected again since {time} "
                      "(it was {state} since {since}). What waited is being sent.",
    "health_logged_out": "logged out",
    "health_banned": "banned",
    "health_disconnected": "disconnected",
    # dates: month abbreviations, January first, separated by spaces
    "months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
}

_ID: dict[str, str] = {
    "help_title": "WA-Integration — yang bisa ditanyakan",
    "help_intro": "Kirim salah satu kata berikut (argumen dipisah spasi):",
    "help_triggers_heading": "Jawaban tunggal",
    "help_groups_heading": "Grup (beberapa jawaban dalam satu balasan)",
    "help_ai_heading": "Tanya AI: awali pesan dengan",
    "help_alarms": "*Alarm*: *alarms* menampilkan yang aktif; balas *ack 12* untuk meng-ack, "
                   "*shelve 12 2h alasan* untuk menundanya sementara",
    "help_empty": "Belum ada perintah yang bisa Anda pakai.",
    "help_search_title": "Perintah yang cocok dengan “{word}”",
    "help_more": "…dan {count} lainnya. Kirim *help* dan satu kata untuk mencarinya, misalnya "
                 "*help drum*.",
    "help_more_search": "…dan {count} lainnya; tambahkan kata lain untuk mempersempit pencarian.",
    "help_search_none": "Tidak ada yang cocok dengan “{word}”. Kirim *help* untuk daftarnya.",
    "greeting": "Halo! Saya menjawab dengan data pabrik terkini.",
    "greeting_named": "Halo {name}! Saya menjawab dengan data pabrik terkini.",
    "unknown_hint": "Perintah tidak dikenal. Kirim *help* untuk daftar perintah.",
    "offline_note": "_Anda bertanya pukul {time}, saat bot sedang offline; nilai di bawah "
                    "adalah nilai terkini._",
    "offline_too_old": "Saya sedang offline saat Anda bertanya pukul {time}; kirim lagi untuk "
                       "nilai terkini.",
    "usage": "Cara pakai: {usage}",
    "group_summary": "{ok} dari {total} terjawab",
    "and_more": "…dan {count} lainnya",
    "and_more_unknown": "…dan lainnya",
    "part": "({n}/{total})",
    "summary_range": "Dari {start} sampai {end}",
    "chart_caption": "{title}: tren dari {start} sampai {end}",
    "empty_message": "Tidak ada yang bisa ditampilkan.",
    "no_rows": "Tidak ada baris data.",
    "no_values": "Tidak ada nilai.",
    "no_value": "tidak ada nilai",
    "variable_missing": "{name} belum diisi: {expected}.",
    "variable_invalid": "{value!r} bukan {name} yang valid: {expected}.",
    "expected_any": "nilai apa saja",
    "expected_pattern": "nilai yang cocok dengan {pattern}",
    "expected_one_of": "{choices} atau {last}",
    "variable_expected_default": "misalnya {example}",
    "too_many_args_none": "{name} tidak memakai argumen.",
    "too_many_args_one": "{name} memakai paling banyak satu argumen.",
    "too_many_args": "{name} memakai paling banyak {count} argumen.",
    "this_command": "Perintah ini",
    "source_missing": "{name} belum punya koneksi untuk dibaca.",
    "source_inactive": "Koneksi {source} sedang dimatikan.",
    "source_not_ready": "{source} belum selesai diatur.",
    "member_missing": "{name} sudah tidak ada.",
    "timeout": "{what} tidak menjawab dalam {seconds} detik.",
    "failed": "{what} gagal: {reason}",
    "trigger_inactive": "{name} sedang dinonaktifkan.",
    "not_allowed": "Anda tidak diizinkan memakai {name}.",
    "not_allowed_in_group": "{name} hanya untuk grup bertag {tags}; grup ini tidak punya tag "
                            "tersebut, jadi tidak dapat dikirim di sini.",
    "group_not_approved": "Grup ini belum disetujui untuk bot pabrik. Administrator harus "
                          "menyetujuinya di tab Contacts sebelum bot menjawab di sini.",
    "fault_unreachable": "{source} tidak dapat dihubungi (server mati atau jaringan "
                         "terhalang).",
    "fault_timeout": "{source} tidak menjawab tepat waktu.",
    "fault_sign_in": "{source} menolak login; engineer perlu memeriksa akun "
                     "koneksinya.",
    "fault_refused": "{source} menolak permintaan data.",
    "fault_setup": "Koneksi {source} belum diatur dengan benar.",
    "fault_off": "Koneksi {source} sedang dimatikan.",
    "fault_no_data": "Data tersebut tidak ada di {source}.",
    "fault_busy": "{source} sedang sibuk; coba lagi beberapa menit lagi.",
    "fault_no_credit": "Akun AI {source} kehabisan kredit.",
    "fault_failed": "{source} tidak bisa menjawab.",
    "preset_missing": "{name} memakai templat query yang sudah tidak ada.",
    "unexpected": "Tidak ada jawaban karena gangguan pada bot; engineer bisa melihat "
                  "rinciannya.",
    "ai_empty": "Tulis pertanyaan Anda setelah {prefix}, misalnya {prefix} kenapa tekanan drum "
                "naik?",
    "ai_reset": "Baik: percakapan sebelumnya sudah saya lupakan.",
    "ai_sources": "Sumber: {sources}",
    "ai_now": "sekarang",
    "ai_no_answer": "Layanan AI tidak memberi jawaban. Coba tanyakan dengan kata lain.",
    "ai_too_many_rounds": "Layanan AI terus mencari data tanpa menjawab; ajukan pertanyaan "
                          "yang lebih spesifik.",
    "ai_system": "Anda asisten sebuah pembangkit atau pabrik proses yang menjawab para "
                 "engineer lewat WhatsApp. Jawab singkat dalam {language}. Pakai tools untuk "
                 "membaca data pabrik; jangan mengarang nilai; sebutkan bila nilai buruk atau "
                 "lama. Teks biasa, hanya *tebal* ala WhatsApp.",
    "not_authorised": "Maaf, nomor ini belum diizinkan memakai bot pabrik. Engineer sudah "
                      "diminta untuk menyetujui Anda.",
    "spam_muted": "Anda mengirim terlalu banyak perintah dalam waktu singkat. Bot akan menjawab "
                  "Anda lagi dalam {minutes} menit.",
    "spam_too_long": "Pesan itu terlalu panjang untuk bot (paling banyak {limit} karakter).",
    "ai_not_available": "Jawaban AI belum diatur di bot ini.",
    "stale": "data lama",
    "questionable": "diragukan",
    "substituted": "nilai pengganti",
    "bad_state": "nilai tidak valid",
    "summary_average": "Rata-rata",
    "summary_minimum": "Minimum",
    "summary_maximum": "Maksimum",
    "summary_total": "Total",
    "summary_range_value": "Rentang",
    "summary_stddev": "Simpangan baku",
    "summary_count": "Jumlah",
    "summary_delta": "Perubahan",
    "summary_percentgood": "Nilai baik (%)",
    "alarm_raised": "{icon} #{number} {name} {why} sejak {time} — balas *ack {number}*",
    "alarm_late": "(terkirim terlambat: bot sedang offline)",
    "alarm_escalated": "⏫ belum di-ack selama {minutes} menit",
    "alarm_cleared": "✅ #{number} {name} normal kembali{value}",
    "alarm_many": "🔔 *{count} pesan alarm*",
    "alarm_acked": "👍 #{number} {name} di-ack oleh {who}",
    "alarm_shelved": "🔕 #{number} {name} ditunda oleh {who} sampai {time}{reason}",
    "alarm_unknown": "Tidak ada alarm #{number}. Kirim *alarms* untuk melihat yang aktif.",
    "alarm_not_yours": "Alarm #{number} tidak dikirim kepada Anda, jadi Anda tidak bisa "
                       "meng-ack atau menundanya.",
    "alarm_already_acked": "#{number} sudah di-ack oleh {who} pukul {time}.",
    "alarm_not_active": "#{number} {name} sudah tidak aktif (normal pukul {time}).",
    "alarm_which": "Alarm yang mana? Tulis *ack* dan nomornya, misalnya *ack 12*.",
    "alarm_which_of": "Pesan itu menyebut beberapa alarm ({numbers}); tulis *ack* dan satu "
                      "nomor, misalnya *ack {first}*.",
    "alarm_shelve_usage": "Tulis *shelve 12 2h alasan*: nomor alarm, berapa lama (30m, 2h, 1d) "
                          "dan alasannya.",
    "alarm_shelve_too_long": "Alarm paling lama bisa ditunda {hours} jam.",
    "alarms_title": "Alarm aktif",
    "alarms_none": "Tidak ada alarm yang aktif.",
    "alarm_by": " · di-ack {who}",
    "alarm_shelved_until": " · ditunda sampai {time}",
    "alarm_no_value": "tidak ada nilai sama sekali",
    "alarm_stale": "tidak ada nilai baru selama {minutes} menit",
    "alarm_state": "status {state}",
    "alarm_bad": "nilai tidak valid",
    "offline_title": "*Selama bot offline* ({start}–{end})",
    "offline_now": "sekarang {value}",
    "offline_now_stale": "sekarang {value} ⚠ data {minutes} menit yang lalu",
    "offline_more": "…dan {count} lainnya; kirim *alarms* untuk yang aktif sekarang",
    "schedule_caption": "{name} · terjadwal {time}",
    # the alarm summary: an acknowledgement from the desk with its comment
    "alarm_acked_because": "👍 #{number} {name} di-ack oleh {who}: {reason}",
    # alarms by e-mail, escalation on delivery, the bot's own health alarm
    "email_alarm_subject": "Peringatan alarm #{number}: {name}",
    "email_cleared_subject": "Normal kembali: alarm #{number} {name}",
    "email_many_subject": "{count} pesan alarm",
    "email_ack_hint": "Untuk ack, balas bot WhatsApp: ack {number}",
    "email_stand_in": "Dikirim lewat e-mail: WhatsApp tidak mengantarkannya dalam {minutes} "
                      "menit.",
    "alarm_not_delivered": "⏫ tidak terkirim dalam {minutes} menit",
    "health_down_subject": "Bot WhatsApp: sesi {state}",
    "health_down_body": "Sesi WhatsApp bot {state} sejak {time}. Alarm dan balasan menunggu "
                        "sampai sesi kembali; buka Dashboard aplikasi untuk menautkannya lagi.",
    "health_up_subject": "Bot WhatsApp: sesi tersambung kembali",
    "health_up_body": "Sesi WhatsApp bot tersambung lagi sejak {time} ({state} sejak {since}). "
                      "Yang menunggu sedang dikirim.",
    "health_logged_out": "keluar (logged out)",
    "health_banned": "diblokir",
    "health_disconnected": "terputus",
    "months": "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des",
}

TEXTS: dict[str, dict[str, str]] = {"en": _EN, "id": _ID}


def language(lang: str | None) -> str:
    """The table to use: "id" or "en"; anything unknown falls back to English."""
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    if code == "in":  # the old ISO 639 code for Indonesian, still sent by some systems
        code = "id"
    return code if code in TEXTS else DEFAULT_LANGUAGE


def tr(lang: str, key: str, **values: object) -> str:
    """The sentence `key` in `lang`, with {placeholders} filled; KeyError for an unknown key."""
    # A missing key, or a missing value for a placeholder, is a bug and must fail loudly.
    return TEXTS[language(lang)][key].format(**values)


def placeholders(template: str) -> set[str]:
    """The names of a template's {placeholders}: both languages must use the same ones."""
    return {field for _text, field, _spec, _conv in string.Formatter().parse(template) if field}


def months(lang: str) -> list[str]:
    return tr(lang, "months").split()
