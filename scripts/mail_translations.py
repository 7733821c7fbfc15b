"""Writes gallery/translations/<locale>/LC_MESSAGES/messages.po from the extracted template and the
translations below, then compiles the .mo files. Run after changing mail texts:

    .venv/bin/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 --no-location -o /tmp/messages.pot .
    .venv/bin/python scripts/mail_translations.py /tmp/messages.pot
"""
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "gallery" / "translations"

T = {
    "%(percent)s%% off": {"nb": "%(percent)s %% rabatt", "pl": "%(percent)s%% zniżki", "hr": "%(percent)s %% popusta",
                          "id": "diskon %(percent)s%%"},
    "%(amount)s off": {"nb": "%(amount)s rabatt", "pl": "%(amount)s zniżki", "hr": "%(amount)s popusta",
                       "id": "potongan %(amount)s"},
    "free shipping": {"nb": "gratis frakt", "pl": "darmowa wysyłka", "hr": "besplatna dostava", "id": "gratis ongkos kirim"},
    "Your offer: %(discount)s with the code %(code)s, valid until %(date)s.": {
        "nb": "Ditt tilbud: %(discount)s med koden %(code)s, gyldig til %(date)s.",
        "pl": "Twoja oferta: %(discount)s z kodem %(code)s, ważna do %(date)s.",
        "hr": "Vaša ponuda: %(discount)s uz kod %(code)s, vrijedi do %(date)s.",
        "id": "Penawaran Anda: %(discount)s dengan kode %(code)s, berlaku sampai %(date)s."},
    "Your offer: %(discount)s, valid until %(date)s.": {
        "nb": "Ditt tilbud: %(discount)s, gyldig til %(date)s.",
        "pl": "Twoja oferta: %(discount)s, ważna do %(date)s.",
        "hr": "Vaša ponuda: %(discount)s, vrijedi do %(date)s.",
        "id": "Penawaran Anda: %(discount)s, berlaku sampai %(date)s."},
    "Your wedding anniversary is coming up: %(num)d year together!": {
        "nb": ["Bryllupsdagen nærmer seg: %(num)d år sammen!", "Bryllupsdagen nærmer seg: %(num)d år sammen!"],
        "pl": ["Zbliża się rocznica ślubu: %(num)d rok razem!", "Zbliża się rocznica ślubu: %(num)d lata razem!",
               "Zbliża się rocznica ślubu: %(num)d lat razem!"],
        "hr": ["Bliži se godišnjica braka: %(num)d godina zajedno!", "Bliži se godišnjica braka: %(num)d godine zajedno!",
               "Bliži se godišnjica braka: %(num)d godina zajedno!"],
        "id": ["Ulang tahun pernikahan Anda segera tiba: %(num)d tahun bersama!"]},
    "Your little one turns %(num)d soon!": {
        "nb": ["Den lille fyller snart %(num)d år!", "Den lille fyller snart %(num)d år!"],
        "pl": ["Wasze maleństwo niedługo kończy %(num)d rok!", "Wasze maleństwo niedługo kończy %(num)d lata!",
               "Wasze maleństwo niedługo kończy %(num)d lat!"],
        "hr": ["Vaš mališan uskoro puni %(num)d godinu!", "Vaš mališan uskoro puni %(num)d godine!",
               "Vaš mališan uskoro puni %(num)d godina!"],
        "id": ["Si kecil sebentar lagi berusia %(num)d tahun!"]},
    "A birthday is coming up soon. Happy birthday in advance!": {
        "nb": "Snart er det bursdag. Gratulerer med dagen på forhånd!",
        "pl": "Niedługo urodziny. Wszystkiego najlepszego z wyprzedzeniem!",
        "hr": "Uskoro je rođendan. Sretan rođendan unaprijed!",
        "id": "Ulang tahun sebentar lagi. Selamat ulang tahun lebih awal!"},
    "Soon it is %(num)d year since your photo session with us.": {
        "nb": ["Snart er det %(num)d år siden fotograferingen hos oss.", "Snart er det %(num)d år siden fotograferingen hos oss."],
        "pl": ["Niedługo minie %(num)d rok od Waszej sesji u nas.", "Niedługo miną %(num)d lata od Waszej sesji u nas.",
               "Niedługo minie %(num)d lat od Waszej sesji u nas."],
        "hr": ["Uskoro će proći %(num)d godina od vašeg fotografiranja kod nas.",
               "Uskoro će proći %(num)d godine od vašeg fotografiranja kod nas.",
               "Uskoro će proći %(num)d godina od vašeg fotografiranja kod nas."],
        "id": ["Sebentar lagi genap %(num)d tahun sejak sesi foto Anda bersama kami."]},
    "A little anniversary greeting from %(studio)s": {
        "nb": "En liten jubileumshilsen fra %(studio)s", "pl": "Mała rocznicowa wiadomość od %(studio)s",
        "hr": "Mala čestitka za godišnjicu od %(studio)s", "id": "Salam peringatan kecil dari %(studio)s"},
    "Relive the memories in your gallery, or turn them into prints and albums.": {
        "nb": "Gjenopplev minnene i galleriet ditt, eller gjør dem om til bilder på veggen og album.",
        "pl": "Wróć do wspomnień w swojej galerii albo zamień je w odbitki i albumy.",
        "hr": "Proživite uspomene u svojoj galeriji ili ih pretvorite u fotografije i albume.",
        "id": "Kenang kembali momen di galeri Anda, atau jadikan cetakan dan album."},
    "Open your gallery": {"nb": "Åpne galleriet", "pl": "Otwórz galerię", "hr": "Otvorite galeriju",
                          "id": "Buka galeri Anda"},
    "Thank you for your order from %(studio)s": {
        "nb": "Takk for bestillingen hos %(studio)s", "pl": "Dziękujemy za zamówienie w %(studio)s",
        "hr": "Hvala na narudžbi u %(studio)s", "id": "Terima kasih atas pesanan Anda di %(studio)s"},
    "We hope you love your prints. There are more moments in your gallery that would look beautiful on your wall.": {
        "nb": "Vi håper du er glad i bildene dine. Det finnes flere øyeblikk i galleriet som ville gjort seg på veggen.",
        "pl": "Mamy nadzieję, że odbitki się podobają. W galerii jest więcej chwil, które pięknie wyglądałyby na ścianie.",
        "hr": "Nadamo se da su vam se fotografije svidjele. U galeriji ima još trenutaka koji bi lijepo izgledali na zidu.",
        "id": "Semoga Anda menyukai cetakan foto Anda. Masih ada momen lain di galeri yang akan indah di dinding Anda."},
    "Your favourite photos are waiting": {
        "nb": "Favorittbildene dine venter", "pl": "Twoje ulubione zdjęcia czekają",
        "hr": "Vaše omiljene fotografije čekaju", "id": "Foto favorit Anda menunggu"},
    "You picked these favourites. Order them as prints or keep them forever while your gallery is open.": {
        "nb": "Du valgte disse favorittene. Bestill dem som bilder eller ta vare på dem mens galleriet er åpent.",
        "pl": "Wybrałeś te ulubione zdjęcia. Zamów je jako odbitki lub zachowaj na zawsze, póki galeria jest otwarta.",
        "hr": "Odabrali ste ove omiljene fotografije. Naručite ih kao otiske ili ih sačuvajte dok je galerija otvorena.",
        "id": "Anda memilih foto-foto favorit ini. Pesan sebagai cetakan atau simpan selamanya selagi galeri masih dibuka."},
    "See your favourites": {"nb": "Se favorittene dine", "pl": "Zobacz ulubione", "hr": "Pogledajte omiljene",
                            "id": "Lihat favorit Anda"},
    "You left something in your cart": {
        "nb": "Du har noe liggende i handlekurven", "pl": "Coś zostało w Twoim koszyku",
        "hr": "Nešto je ostalo u vašoj košarici", "id": "Ada yang tertinggal di keranjang Anda"},
    "Your cart is still waiting for you. Complete your order whenever you are ready.": {
        "nb": "Handlekurven venter fortsatt på deg. Fullfør bestillingen når du er klar.",
        "pl": "Koszyk wciąż na Ciebie czeka. Dokończ zamówienie, kiedy będziesz gotowy.",
        "hr": "Košarica vas još čeka. Dovršite narudžbu kad budete spremni.",
        "id": "Keranjang Anda masih menunggu. Selesaikan pesanan kapan pun Anda siap."},
    "Go to your cart": {"nb": "Gå til handlekurven", "pl": "Przejdź do koszyka", "hr": "Idite u košaricu",
                        "id": "Buka keranjang"},
    "We miss you at %(studio)s": {"nb": "Vi savner deg hos %(studio)s", "pl": "Tęsknimy za Tobą w %(studio)s",
                                  "hr": "Nedostajete nam u %(studio)s", "id": "Kami merindukan Anda di %(studio)s"},
    "It has been a while since we last saw you. Your photos are still here, and we would love to capture your next chapter.": {
        "nb": "Det er en stund siden sist. Bildene dine er her fortsatt, og vi vil gjerne fotografere neste kapittel.",
        "pl": "Dawno się nie widzieliśmy. Twoje zdjęcia wciąż tu są, a my chętnie uwiecznimy kolejny rozdział.",
        "hr": "Prošlo je neko vrijeme. Vaše fotografije su još ovdje, a mi bismo rado zabilježili vaše sljedeće poglavlje.",
        "id": "Sudah lama kita tidak bertemu. Foto Anda masih di sini, dan kami ingin mengabadikan babak berikutnya."},
    "Thank you from %(studio)s: how did we do?": {
        "nb": "Takk fra %(studio)s: hvordan gjorde vi det?", "pl": "Dziękujemy od %(studio)s: jak nam poszło?",
        "hr": "Hvala od %(studio)s: kako smo bili?", "id": "Terima kasih dari %(studio)s: bagaimana layanan kami?"},
    "Thank you for choosing us. How likely are you to recommend us to a friend, on a scale from 0 to 10? It takes ten seconds.": {
        "nb": "Takk for at du valgte oss. Hvor sannsynlig er det at du anbefaler oss til en venn, på en skala fra 0 til 10? Det tar ti sekunder.",
        "pl": "Dziękujemy za wybór naszego studia. Jak bardzo prawdopodobne jest, że polecisz nas znajomemu, w skali od 0 do 10? To zajmie dziesięć sekund.",
        "hr": "Hvala što ste odabrali nas. Koliko je vjerojatno da biste nas preporučili prijatelju, na ljestvici od 0 do 10? Traje deset sekundi.",
        "id": "Terima kasih telah memilih kami. Seberapa besar kemungkinan Anda merekomendasikan kami kepada teman, dari skala 0 sampai 10? Hanya sepuluh detik."},
    "Answer the survey": {"nb": "Svar på undersøkelsen", "pl": "Wypełnij ankietę", "hr": "Ispunite anketu",
                          "id": "Isi survei"},
    "Your gallery closes in %(num)d day": {
        "nb": ["Galleriet ditt stenger om %(num)d dag", "Galleriet ditt stenger om %(num)d dager"],
        "pl": ["Twoja galeria zostanie zamknięta za %(num)d dzień", "Twoja galeria zostanie zamknięta za %(num)d dni",
               "Twoja galeria zostanie zamknięta za %(num)d dni"],
        "hr": ["Vaša se galerija zatvara za %(num)d dan", "Vaša se galerija zatvara za %(num)d dana",
               "Vaša se galerija zatvara za %(num)d dana"],
        "id": ["Galeri Anda ditutup dalam %(num)d hari"]},
    "Your gallery %(title)s closes on %(date)s. Download your photos or order prints before then.": {
        "nb": "Galleriet ditt %(title)s stenger %(date)s. Last ned bildene eller bestill papirbilder før det.",
        "pl": "Twoja galeria %(title)s zostanie zamknięta %(date)s. Pobierz zdjęcia lub zamów odbitki przed tym terminem.",
        "hr": "Vaša galerija %(title)s zatvara se %(date)s. Preuzmite fotografije ili naručite otiske prije toga.",
        "id": "Galeri Anda %(title)s ditutup pada %(date)s. Unduh foto atau pesan cetakan sebelum itu."},
    "A thank-you gift from %(studio)s": {"nb": "En takkegave fra %(studio)s", "pl": "Prezent z podziękowaniem od %(studio)s",
                                         "hr": "Poklon zahvale od %(studio)s", "id": "Hadiah terima kasih dari %(studio)s"},
    "Someone you recommended has just become our client. Thank you! Here is a gift for you.": {
        "nb": "Noen du anbefalte har nettopp blitt kunde hos oss. Tusen takk! Her er en gave til deg.",
        "pl": "Osoba, której nas poleciłeś, właśnie została naszym klientem. Dziękujemy! Oto prezent dla Ciebie.",
        "hr": "Netko koga ste nam preporučili upravo je postao naš klijent. Hvala! Evo poklona za vas.",
        "id": "Seseorang yang Anda rekomendasikan baru saja menjadi klien kami. Terima kasih! Ini hadiah untuk Anda."},
    "Hi %(name)s,": {"nb": "Hei %(name)s,", "pl": "Cześć %(name)s,", "hr": "Pozdrav %(name)s,", "id": "Halo %(name)s,"},
    "Your favourites:": {"nb": "Favorittene dine:", "pl": "Twoje ulubione:", "hr": "Vaše omiljene:", "id": "Favorit Anda:"},
    "Warm regards,": {"nb": "Varm hilsen,", "pl": "Serdecznie pozdrawiamy,", "hr": "Srdačan pozdrav,",
                      "id": "Salam hangat,"},
    "You receive this mail as a client of %(studio)s.": {
        "nb": "Du får denne e-posten som kunde hos %(studio)s.", "pl": "Otrzymujesz tę wiadomość jako klient %(studio)s.",
        "hr": "Ovu poruku primate kao klijent %(studio)s.", "id": "Anda menerima email ini sebagai klien %(studio)s."},
    "Unsubscribe": {"nb": "Meld deg av", "pl": "Wypisz się", "hr": "Odjava", "id": "Berhenti berlangganan"},
    "Thank you for your answer!": {"nb": "Takk for svaret!", "pl": "Dziękujemy za odpowiedź!", "hr": "Hvala na odgovoru!",
                                   "id": "Terima kasih atas jawaban Anda!"},
    "How likely are you to recommend %(studio)s to a friend?": {
        "nb": "Hvor sannsynlig er det at du anbefaler %(studio)s til en venn?",
        "pl": "Jak bardzo prawdopodobne jest, że polecisz %(studio)s znajomemu?",
        "hr": "Koliko je vjerojatno da biste %(studio)s preporučili prijatelju?",
        "id": "Seberapa besar kemungkinan Anda merekomendasikan %(studio)s kepada teman?"},
    "Anything you would like to tell us?": {"nb": "Er det noe du vil fortelle oss?", "pl": "Chcesz nam coś przekazać?",
                                            "hr": "Želite li nam nešto poručiti?", "id": "Ada yang ingin Anda sampaikan?"},
    "Send": {"nb": "Send", "pl": "Wyślij", "hr": "Pošalji", "id": "Kirim"},
    "You will no longer receive offers and news from %(studio)s.": {
        "nb": "Du får ikke lenger tilbud og nyheter fra %(studio)s.",
        "pl": "Nie będziesz już otrzymywać ofert i nowości od %(studio)s.",
        "hr": "Više nećete primati ponude i novosti od %(studio)s.",
        "id": "Anda tidak akan lagi menerima penawaran dan kabar dari %(studio)s."},
    "Do you want to stop receiving offers and news from %(studio)s?": {
        "nb": "Vil du slutte å motta tilbud og nyheter fra %(studio)s?",
        "pl": "Czy chcesz przestać otrzymywać oferty i nowości od %(studio)s?",
        "hr": "Želite li prestati primati ponude i novosti od %(studio)s?",
        "id": "Apakah Anda ingin berhenti menerima penawaran dan kabar dari %(studio)s?"},
    # the photographer's daily digest
    "Gallery visits: %(visits)d, unique visitors: %(visitors)d": {
        "nb": "Galleribesøk: %(visits)d, unike besøkende: %(visitors)d",
        "pl": "Wizyty w galeriach: %(visits)d, unikalni odwiedzający: %(visitors)d",
        "hr": "Posjeti galerijama: %(visits)d, jedinstveni posjetitelji: %(visitors)d",
        "id": "Kunjungan galeri: %(visits)d, pengunjung unik: %(visitors)d"},
    "Favourites: %(count)d": {"nb": "Favoritter: %(count)d", "pl": "Ulubione: %(count)d", "hr": "Omiljene: %(count)d",
                              "id": "Favorit: %(count)d"},
    "Downloads: %(count)d": {"nb": "Nedlastinger: %(count)d", "pl": "Pobrania: %(count)d",
                             "hr": "Preuzimanja: %(count)d", "id": "Unduhan: %(count)d"},
    "Shares: %(count)d": {"nb": "Delinger: %(count)d", "pl": "Udostępnienia: %(count)d", "hr": "Dijeljenja: %(count)d",
                          "id": "Dibagikan: %(count)d"},
    "Paid orders: %(count)d, revenue %(revenue)s": {
        "nb": "Betalte bestillinger: %(count)d, omsetning %(revenue)s",
        "pl": "Opłacone zamówienia: %(count)d, przychód %(revenue)s",
        "hr": "Plaćene narudžbe: %(count)d, prihod %(revenue)s",
        "id": "Pesanan terbayar: %(count)d, pendapatan %(revenue)s"},
    "Active clients: %(count)d": {"nb": "Aktive kunder: %(count)d", "pl": "Aktywni klienci: %(count)d",
                                  "hr": "Aktivni klijenti: %(count)d", "id": "Klien aktif: %(count)d"},
    "Retention mails sent: %(count)d": {
        "nb": "Oppfølgingsmeldinger sendt: %(count)d", "pl": "Wysłane wiadomości do klientów: %(count)d",
        "hr": "Poslane poruke klijentima: %(count)d", "id": "Pesan ke klien terkirim: %(count)d"},
    "%(title)s: visits %(visits)d, favourites %(favourites)d, downloads %(downloads)d": {
        "nb": "%(title)s: besøk %(visits)d, favoritter %(favourites)d, nedlastinger %(downloads)d",
        "pl": "%(title)s: wizyty %(visits)d, ulubione %(favourites)d, pobrania %(downloads)d",
        "hr": "%(title)s: posjeti %(visits)d, omiljene %(favourites)d, preuzimanja %(downloads)d",
        "id": "%(title)s: kunjungan %(visits)d, favorit %(favourites)d, unduhan %(downloads)d"},
    "Your day at %(studio)s: visits %(visits)d, orders %(orders)d": {
        "nb": "Dagen din hos %(studio)s: besøk %(visits)d, bestillinger %(orders)d",
        "pl": "Twój dzień w %(studio)s: wizyty %(visits)d, zamówienia %(orders)d",
        "hr": "Vaš dan u %(studio)s: posjeti %(visits)d, narudžbe %(orders)d",
        "id": "Hari Anda di %(studio)s: kunjungan %(visits)d, pesanan %(orders)d"},
    # the one-time code and a reopened selection, to clients and guests
    "Your code for %(gallery)s: %(code)s": {
        "nb": "Koden din for %(gallery)s: %(code)s", "pl": "Twój kod do %(gallery)s: %(code)s",
        "hr": "Vaš kod za %(gallery)s: %(code)s", "id": "Kode Anda untuk %(gallery)s: %(code)s"},
    'Your code to open "%(gallery)s" by %(studio)s is %(code)s.': {
        "nb": "Koden for å åpne «%(gallery)s» fra %(studio)s er %(code)s.",
        "pl": "Kod do otwarcia „%(gallery)s” od %(studio)s to %(code)s.",
        "hr": "Kod za otvaranje „%(gallery)s” od %(studio)s je %(code)s.",
        "id": "Kode untuk membuka \"%(gallery)s\" dari %(studio)s adalah %(code)s."},
    "It works for %(minutes)d minutes. If you did not ask for it, ignore this message.": {
        "nb": "Den virker i %(minutes)d minutter. Har du ikke bedt om den, kan du se bort fra denne meldingen.",
        "pl": "Działa przez %(minutes)d minut. Jeśli o niego nie prosiłeś, zignoruj tę wiadomość.",
        "hr": "Vrijedi %(minutes)d minuta. Ako ga niste tražili, zanemarite ovu poruku.",
        "id": "Kode berlaku selama %(minutes)d menit. Jika Anda tidak memintanya, abaikan pesan ini."},
    "Your selection in %(gallery)s is open again": {
        "nb": "Utvalget ditt i %(gallery)s er åpent igjen", "pl": "Twój wybór w %(gallery)s jest znowu otwarty",
        "hr": "Vaš odabir u %(gallery)s ponovno je otvoren", "id": "Pilihan Anda di %(gallery)s dibuka kembali"},
    "Hi,": {"nb": "Hei,", "pl": "Cześć,", "hr": "Pozdrav,", "id": "Halo,"},
    '%(studio)s opened your selection in "%(gallery)s" again: you can change your picks and submit them once more.': {
        "nb": "%(studio)s har åpnet utvalget ditt i «%(gallery)s» igjen: du kan endre valgene og sende dem inn på nytt.",
        "pl": "%(studio)s ponownie otworzył Twój wybór w „%(gallery)s”: możesz zmienić zdjęcia i wysłać je jeszcze raz.",
        "hr": "%(studio)s ponovno je otvorio vaš odabir u „%(gallery)s”: možete promijeniti odabir i ponovno ga poslati.",
        "id": "%(studio)s membuka kembali pilihan Anda di \"%(gallery)s\": Anda bisa mengubah pilihan dan mengirimkannya lagi."},
}
LOCALES = ("nb", "pl", "hr", "id")


def main(pot_path: str) -> None:
    with open(pot_path, "rb") as f:
        template = read_po(f)
    missing = []
    for locale in LOCALES:
        catalog = Catalog(locale=locale, project="gallery", domain="messages")
        for message in template:
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            translated = T.get(key, {}).get(locale)
            if translated is None:
                missing.append((locale, key))
                continue
            if isinstance(message.id, tuple):
                forms = translated if isinstance(translated, list) else [translated]
                forms = (forms * catalog.num_plurals)[:catalog.num_plurals] if len(forms) == 1 else forms
                catalog.add(message.id, tuple(forms))
            else:
                catalog.add(message.id, translated)
        folder = ROOT / locale / "LC_MESSAGES"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "messages.po", "wb") as f:
            write_po(f, catalog, omit_header=False, no_location=True, width=120)
        with open(folder / "messages.mo", "wb") as f:
            write_mo(f, catalog)
    if missing:
        sys.exit("untranslated: " + "; ".join(f"{l}: {k!r}" for l, k in missing))


if __name__ == "__main__":
    main(sys.argv[1])
