/**
 * The printable sheet for the workshop room: one card per participant with
 * a QR code of their enrolment link, the code to type by hand, and when it
 * expires. QR images are made on this computer (data: URLs, allowed by the
 * content security policy), so no code ever goes to a third-party service.
 */
import { useEffect, useState } from 'react';
import { toDataURL } from 'qrcode';
import { Link } from 'wouter';
import { Screen } from '../../client/ui/screen';
import { useIssuedCodes } from './codes';
import { formatWhen } from '../ui/format-when';
import { useCoordinatorT } from '../core/i18n';
import { ViewState } from '../ui/ViewState';
import { useApi } from '../core/use-api';
import { workshopPath, type WorkshopDetail } from '../core/types';

export default function QrSheetScreen({ workshopId }: { workshopId: string }) {
  const { t, i18n } = useCoordinatorT();
  const view = useApi<WorkshopDetail>(workshopPath(workshopId));
  const codes = useIssuedCodes();
  return (
    <Screen
      title={t('sheet.title', { title: view.data?.workshop.title ?? '' })}
      back={
        <p className="back-link no-print">
          <Link href={`/workshops/${workshopId}/roster`}>{t('sheet.back')}</Link>
        </p>
      }
    >
      <ViewState view={view}>
        {(data) => {
          const people = data.roster.filter((p) => codes.has(p.id));
          if (people.length === 0) return <p>{t('sheet.none')}</p>;
          return (
            <>
              <p className="no-print">
                <button type="button" className="button" onClick={() => window.print()}>
                  {t('sheet.print')}
                </button>
              </p>
              <p className="c-sheet-howto">{t('sheet.howTo', { address: `${window.location.origin}/enrol` })}</p>
              <ul className="c-sheet">
                {people.map((p) => {
                  const code = codes.get(p.id)!;
                  return (
                    <li key={p.id} className="c-sheet-card">
                      <p className="c-sheet-name" dir="auto">
                        {p.fullName} <span className="muted">({p.memberCode})</span>
                      </p>
                      <QrImage text={code.link} label={t('sheet.qrAlt', { name: p.fullName })} />
                      <p className="c-sheet-code">
                        <span className="visually-hidden">{t('sheet.codeLabel')} </span>
                        <code dir="ltr">{code.code}</code>
                      </p>
                      <p className="muted c-sheet-expiry">
                        {t('sheet.expires', { time: formatWhen(i18n.language, code.expiresAt) })}
                      </p>
                    </li>
                  );
                })}
              </ul>
            </>
          );
        }}
      </ViewState>
    </Screen>
  );
}

function QrImage({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    // Medium error correction survives a crease in the paper; margin 2 is enough on white paper.
    void toDataURL(text, { errorCorrectionLevel: 'M', margin: 2, width: 240 }).then((url) => {
      if (live) setSrc(url);
    });
    return () => {
      live = false;
    };
  }, [text]);
  return src ? (
    <img className="c-sheet-qr" src={src} alt={label} width={160} height={160} />
  ) : (
    <span className="c-sheet-qr" aria-hidden="true" />
  );
}
