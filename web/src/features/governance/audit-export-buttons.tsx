import type { AuditExportQuery } from '@hangar/protocol';
import { useMutation } from '@tanstack/react-query';
import { Download } from 'lucide-react';
import { Button } from '../../components/ui/button';
import { useToast } from '../../components/ui/toast';
import { errorMessage } from '../../lib/api';
import { governanceApi } from './governance-api';

type Filters = Omit<AuditExportQuery, 'format'>;

/** Exports the log as filtered on screen, as JSON Lines or CSV. */
export function AuditExportButtons({ workspaceId, filters }: { workspaceId: string; filters: Filters }) {
  const toast = useToast();
  const exporting = useMutation({
    mutationFn: (format: 'jsonl' | 'csv') => governanceApi.exportAudit(workspaceId, { format, ...filters }),
    onError: (error) => toast.show({ title: 'Export failed', description: errorMessage(error), tone: 'error' }),
  });
  return (
    <div className="flex gap-2">
      {(['jsonl', 'csv'] as const).map((format) => (
        <Button
          key={format}
          variant="outline"
          size="sm"
          loading={exporting.isPending && exporting.variables === format}
          onClick={() => exporting.mutate(format)}
          data-testid={`audit-export-${format}`}
        >
          <Download aria-hidden />
          {format === 'jsonl' ? 'JSON Lines' : 'CSV'}
        </Button>
      ))}
    </div>
  );
}
