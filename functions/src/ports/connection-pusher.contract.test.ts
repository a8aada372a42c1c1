import { ApiGatewayConnectionPusher } from '../adapters/apigateway-connection-pusher';
import { InProcessConnectionPusher } from '../adapters/in-process-connection-pusher';
import { pusherTestAccessKeyId, startPusherTestGateway } from '../testing/pusher-test-gateway';
import { describeConnectionPusherContract } from './connection-pusher.contract';

describeConnectionPusherContract(
  'in-process (local gateway sockets)',
  () => startPusherTestGateway((gateway) => new InProcessConnectionPusher(gateway)),
  { queuesPerConnection: true },
);

describeConnectionPusherContract(
  'API Gateway management API (real SDK client → local gateway @connections)',
  () =>
    startPusherTestGateway(
      (gateway) =>
        new ApiGatewayConnectionPusher({
          endpoint: gateway.managementEndpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: pusherTestAccessKeyId, secretAccessKey: 'contract' },
        }),
    ),
  { queuesPerConnection: false },
);
